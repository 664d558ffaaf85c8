// The compositions of the local renderer: calm, flat generative art. Flat fills on purpose —
// librsvg draws them quickly and PNG compresses them well, so a 1024×1024 image costs a few
// milliseconds (gradients and blurs cost ten times more). Soft transitions come from stepped
// bands and translucent overlaps instead.
import { mix } from "./color";
import { layerColors, type Palette } from "./palette";
import type { Rng } from "./random";
import { circle, num, opacity, rect, ridge } from "./svg";

export type SceneKind = "horizon" | "bloom" | "tiles" | "waves";

export type SceneContext = {
  rng: Rng;
  palette: Palette;
  width: number;
  height: number;
  /** From here down the caption is drawn: the scene ends in a plain ground band. */
  groundY: number;
  words: Set<string>;
};

const HINTS: Record<SceneKind, string[]> = {
  horizon: ["landscape", "mountain", "mountains", "hill", "hills", "sunset", "sunrise", "dusk", "dawn", "beach",
    "coast", "harbour", "harbor", "valley", "desert", "horizon", "field", "meadow", "lake", "sun", "moon",
    "countryside", "forest", "alps", "peak", "island", "village", "city"],
  waves: ["sea", "ocean", "wave", "waves", "river", "dune", "dunes", "sand", "surf", "flow", "wind", "silk", "tide"],
  tiles: ["logo", "icon", "icons", "pattern", "geometric", "grid", "tile", "tiles", "bauhaus", "poster", "brand",
    "packaging", "label", "typography", "minimal", "modern", "mosaic", "quilt"],
  bloom: ["flower", "flowers", "bloom", "planet", "space", "galaxy", "star", "stars", "orbit", "bubble", "bubbles",
    "abstract", "cosmic", "cosmos", "glow", "portrait", "garden", "dream"],
};
const KINDS: SceneKind[] = ["horizon", "bloom", "tiles", "waves"];
const WATER = ["sea", "ocean", "lake", "harbour", "harbor", "beach", "coast", "water", "river", "island", "bay"];
const PEAKS = ["mountain", "mountains", "alps", "peak", "peaks", "snow", "winter"];

/** The prompt's hinted composition most of the time, any composition otherwise. */
export function chooseScene(words: Set<string>, rng: Rng): SceneKind {
  const hinted = KINDS.find((kind) => HINTS[kind].some((word) => words.has(word)));
  return hinted && rng.chance(0.75) ? hinted : rng.pick(KINDS);
}

/** Stepped bands from `top` to `bottom` colour over [0, until): a flat-art gradient. */
function bands(ctx: SceneContext, top: string, bottom: string, until: number, count: number): string {
  let out = rect(0, 0, ctx.width, ctx.height, bottom);
  for (let i = 0; i < count; i++) {
    const y0 = Math.round((until * i) / count);
    const y1 = Math.round((until * (i + 1)) / count);
    // One pixel of overlap hides anti-aliasing seams between neighbouring bands.
    out += rect(0, y0, ctx.width, y1 - y0 + 1, mix(top, bottom, (i / (count - 1)) ** 0.85));
  }
  return out;
}

/** A row of points across the canvas (a little beyond both edges) around `base`. */
function skyline(ctx: SceneContext, base: number, amplitude: number, count: number): [number, number][] {
  const { rng, width } = ctx;
  return Array.from({ length: count }, (_, i): [number, number] => [
    -0.05 * width + (1.1 * width * i) / (count - 1),
    base - rng.range(0.15, 1) * amplitude,
  ]);
}

function peaks(points: [number, number][], bottom: number, fill: string): string {
  const d = points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${num(x)} ${num(y)}`).join("");
  const last = points[points.length - 1] ?? [0, 0];
  const first = points[0] ?? [0, 0];
  return `<path d="${d}L${num(last[0])} ${num(bottom)}L${num(first[0])} ${num(bottom)}Z" fill="${fill}"/>`;
}

function sun(ctx: SceneContext, cx: number, cy: number, r: number): string {
  const { palette } = ctx;
  let out = "";
  for (let k = 3; k >= 1; k--) out += circle(cx, cy, r * (1 + 0.32 * k), palette.glow, opacity(0.1));
  return out + circle(cx, cy, r, palette.glow);
}

function horizon(ctx: SceneContext): string {
  const { rng, palette, width, groundY } = ctx;
  const short = Math.min(width, ctx.height);
  const water = WATER.some((word) => ctx.words.has(word));
  const pointy = PEAKS.some((word) => ctx.words.has(word)) || rng.chance(0.3);
  const horizonY = Math.round(groundY * rng.range(0.56, 0.72));
  let out = bands(ctx, palette.skyTop, palette.skyBottom, horizonY, 14);

  const sunX = width * rng.range(0.18, 0.82);
  const sunR = short * rng.range(0.06, 0.11);
  const sunY = horizonY - rng.range(0.12, 0.5) * horizonY;
  out += sun(ctx, sunX, sunY, sunR);
  for (let i = rng.int(1, 3); i > 0; i--) {
    const h = short * rng.range(0.016, 0.03);
    const w = short * rng.range(0.14, 0.32);
    out += rect(rng.range(-0.1, 0.9) * width, rng.range(0.08, 0.55) * horizonY, w, h, "#ffffff", `${opacity(rng.range(0.25, 0.45))} rx="${num(h / 2)}"`);
  }

  const layers = water ? rng.int(1, 2) : rng.int(3, 4);
  const colors = layerColors(palette, layers + 1);
  const depth = water ? horizonY : groundY;
  for (let i = 0; i < layers; i++) {
    const base = horizonY + ((depth - horizonY) * i) / Math.max(1, layers) + (water ? 1 : 0);
    const amplitude = short * rng.range(0.07, 0.17) * (1 - i * 0.18) * (water ? 0.6 : 1);
    const points = skyline(ctx, base, amplitude, rng.int(pointy ? 6 : 4, pointy ? 9 : 6));
    const fill = colors[i] ?? palette.ground;
    // Fill only down to where the water or the ground covers it: overdraw is what costs here.
    const bottom = Math.min(ctx.height, (water ? horizonY : groundY) + 2);
    out += pointy && i < 2 ? peaks(points, bottom, fill) : ridge(points, bottom, fill);
  }
  if (water) {
    out += rect(0, horizonY, width, ctx.height - horizonY, mix(palette.skyBottom, palette.accents[1] ?? palette.ground, 0.55));
    for (let y = horizonY + short * 0.02, k = 0; y < groundY; y += short * 0.028, k++) {
      const w = sunR * rng.range(0.6, 2.2) * (1 + k * 0.08);
      out += rect(sunX - w / 2, y, w, short * 0.008, palette.glow, `${opacity(0.55 - k * 0.04)} rx="${num(short * 0.004)}"`);
    }
  }
  return out;
}

function bloom(ctx: SceneContext): string {
  const { rng, palette, width, height, groundY } = ctx;
  const short = Math.min(width, height);
  const cx = width * rng.range(0.25, 0.75);
  const cy = groundY * rng.range(0.3, 0.6);
  // The outermost disc reaches past the farthest corner, so no background rect is needed.
  const reach = Math.hypot(Math.max(cx, width - cx), Math.max(cy, height - cy)) + 2;
  let out = "";
  // A stepped radial gradient: stacked discs (cairo fills discs faster than it strokes rings).
  const rings = 12;
  for (let i = 0; i < rings; i++) {
    const t = i / (rings - 1);
    out += circle(cx, cy, reach * (1 - 0.82 * t), mix(palette.skyTop, palette.skyBottom, t ** 1.2));
  }
  out += circle(cx, cy, short * rng.range(0.14, 0.22), palette.glow, opacity(0.92));
  const discs = rng.int(4, 8);
  for (let i = 0; i < discs; i++) {
    const angle = rng.range(0, Math.PI * 2);
    const distance = short * rng.range(0.08, 0.34);
    const fill = rng.pick([...palette.accents, palette.glow]);
    out += circle(cx + Math.cos(angle) * distance, cy + Math.sin(angle) * distance * 0.8, short * rng.range(0.04, 0.16), fill, opacity(rng.range(0.35, 0.6)));
  }
  const stroke = mix(palette.skyBottom, "#ffffff", 0.6);
  for (let i = rng.int(2, 3); i > 0; i--) {
    const r = short * rng.range(0.2, 0.45);
    out += `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="none" stroke="${stroke}" stroke-opacity="0.35" stroke-width="${num(Math.max(1, short * 0.003))}"/>`;
    const start = rng.range(0, Math.PI * 2);
    for (let j = rng.int(0, 4); j > 0; j--) {
      const a = start + j * rng.range(0.25, 0.6);
      out += circle(cx + Math.cos(a) * r, cy + Math.sin(a) * r, short * rng.range(0.006, 0.014), stroke, opacity(0.8));
    }
  }
  return out;
}

/** One Bauhaus tile: a background square and a single motif. */
function tile(ctx: SceneContext, x: number, y: number, s: number, pool: string[]): string {
  const { rng } = ctx;
  const bg = rng.pick(pool);
  const fg = rng.pick(pool.filter((color) => color !== bg));
  let out = rect(x, y, s + 1, s + 1, bg);
  const corner = (cx: number, cy: number, r: number, sweep: number) =>
    `<path d="M${num(cx)} ${num(cy)}L${num(cx + (sweep === 1 ? r : -r))} ${num(cy)}A${num(r)} ${num(r)} 0 0 ${sweep} ${num(cx)} ${num(cy + r)}Z" fill="${fg}"/>`;
  switch (rng.int(0, 5)) {
    case 0: // a quarter circle from a corner
      return out + (rng.chance(0.5) ? corner(x, y, s, 1) : corner(x + s, y, s, 0));
    case 1: // a half circle on the lower edge
      return out + `<path d="M${num(x)} ${num(y + s)}A${num(s / 2)} ${num(s / 2)} 0 0 1 ${num(x + s)} ${num(y + s)}Z" fill="${fg}"/>`;
    case 2: // a disc
      return out + circle(x + s / 2, y + s / 2, s * 0.36, fg);
    case 3: // a ring
      return out + circle(x + s / 2, y + s / 2, s * 0.38, fg) + circle(x + s / 2, y + s / 2, s * 0.2, bg);
    case 4: // a diagonal half
      return out + `<path d="M${num(x)} ${num(y + s + 1)}L${num(x + s + 1)} ${num(y)}L${num(x + s + 1)} ${num(y + s + 1)}Z" fill="${fg}"/>`;
    default: // three bars
      for (let i = 0; i < 3; i++) out += rect(x + s * (0.14 + i * 0.27), y + s * 0.16, s * 0.16, s * 0.68, fg);
      return out;
  }
}

function tiles(ctx: SceneContext): string {
  const { rng, palette, width, groundY } = ctx;
  const columns = Math.max(2, Math.round((width / Math.min(width, ctx.height)) * rng.int(3, 4)));
  const size = width / columns;
  const rows = Math.ceil(groundY / size);
  const pool = [palette.skyTop, palette.skyBottom, palette.glow, ...palette.accents];
  let out = "";
  // Rows start at the top; the last one runs on behind the ground, like a pattern cut to size.
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < columns; col++) out += tile(ctx, col * size, row * size, size, pool);
  }
  return out;
}

function waves(ctx: SceneContext): string {
  const { rng, palette, width, groundY } = ctx;
  const short = Math.min(width, ctx.height);
  let out = bands(ctx, palette.skyTop, palette.skyBottom, groundY * 0.5, 8);
  if (rng.chance(0.6)) out += sun(ctx, width * rng.range(0.2, 0.8), groundY * rng.range(0.12, 0.3), short * rng.range(0.05, 0.09));
  const count = rng.int(6, 9);
  const colors = layerColors(palette, count + 1);
  const top = groundY * rng.range(0.3, 0.45);
  const frequency = rng.range(1.2, 2.6);
  for (let i = 0; i < count; i++) {
    const base = top + ((groundY - top) * (i + 1)) / (count + 1);
    const amplitude = short * rng.range(0.02, 0.05);
    const phase = rng.range(0, Math.PI * 2);
    const points = Array.from({ length: 9 }, (_, j): [number, number] => [
      -0.05 * width + (1.1 * width * j) / 8,
      base + Math.sin(phase + (j / 8) * Math.PI * 2 * frequency) * amplitude,
    ]);
    out += ridge(points, Math.min(ctx.height, groundY + 2), colors[i] ?? palette.ground);
  }
  return out;
}

/** The ground band: plain from `groundY` down, with a gently curved or straight top edge. */
function ground(ctx: SceneContext, curved: boolean): string {
  const { rng, palette, width, groundY } = ctx;
  if (!curved) return rect(0, groundY, width, ctx.height - groundY + 1, palette.ground);
  const rise = Math.min(width, ctx.height) * 0.035;
  const points = Array.from({ length: 5 }, (_, i): [number, number] => [
    -0.05 * width + (1.1 * width * i) / 4,
    groundY - rng.range(0.1, 1) * rise,
  ]);
  return ridge(points, ctx.height, palette.ground);
}

export function drawScene(kind: SceneKind, ctx: SceneContext): string {
  const body = { horizon, bloom, tiles, waves }[kind](ctx);
  return body + ground(ctx, kind !== "tiles");
}

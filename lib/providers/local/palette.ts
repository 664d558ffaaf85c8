// The palette of a local rendering comes from the prompt: colour words ("navy", "golden") and
// mood words ("sunset", "forest") pick the hues; a prompt without any gets hues from its hash.
// Either way the hues stay with the prompt across seeds; the seed moves them only slightly and
// picks light or dark (unless a mood word such as "night" or "pastel" decides).
import { hex, inkOn, mix, type Hsl } from "./color";
import type { Rng } from "./random";

export type Palette = {
  /** Top and bottom of the sky / background. */
  skyTop: string;
  skyBottom: string;
  /** The bright accent: a sun, a big disc. */
  glow: string;
  /** Mid-tone accents for shapes. */
  accents: string[];
  /** The foreground band that carries the caption. */
  ground: string;
  /** Caption colour, legible on `ground`. */
  ink: string;
};

const c = (h: number, s: number, l: number): Hsl => ({ h, s, l });

// One or more anchor colours per word; lightness here is a hint, the scheme re-lights them.
// A Map, not an object lookup: a prompt's words are arbitrary, and "constructor" or "toString"
// would otherwise find Object.prototype's members and draw NaN colours.
const WORDS = new Map<string, Hsl[]>(Object.entries({
  red: [c(2, 0.72, 0.5)], crimson: [c(348, 0.7, 0.42)], scarlet: [c(6, 0.8, 0.5)],
  ruby: [c(340, 0.65, 0.4)], orange: [c(26, 0.85, 0.55)], amber: [c(38, 0.9, 0.55)],
  gold: [c(44, 0.8, 0.55)], golden: [c(42, 0.82, 0.56)], yellow: [c(50, 0.9, 0.6)],
  lemon: [c(56, 0.85, 0.65)], lime: [c(85, 0.6, 0.55)], green: [c(130, 0.45, 0.42)],
  emerald: [c(150, 0.6, 0.4)], olive: [c(70, 0.35, 0.4)], mint: [c(155, 0.45, 0.72)],
  sage: [c(110, 0.18, 0.6)], teal: [c(178, 0.55, 0.38)], turquoise: [c(172, 0.6, 0.5)],
  cyan: [c(188, 0.7, 0.5)], aqua: [c(182, 0.6, 0.6)], blue: [c(214, 0.65, 0.5)],
  azure: [c(205, 0.75, 0.58)], cobalt: [c(222, 0.7, 0.42)], navy: [c(224, 0.55, 0.24)],
  sapphire: [c(218, 0.7, 0.38)], indigo: [c(248, 0.5, 0.38)], violet: [c(268, 0.55, 0.55)],
  purple: [c(280, 0.5, 0.45)], lavender: [c(262, 0.5, 0.78)], lilac: [c(285, 0.4, 0.75)],
  magenta: [c(312, 0.7, 0.52)], pink: [c(338, 0.7, 0.74)], rose: [c(348, 0.6, 0.65)],
  coral: [c(12, 0.75, 0.64)], peach: [c(24, 0.8, 0.76)], salmon: [c(8, 0.7, 0.7)],
  brown: [c(24, 0.38, 0.32)], copper: [c(22, 0.6, 0.45)], bronze: [c(32, 0.5, 0.42)],
  beige: [c(38, 0.35, 0.8)], sand: [c(40, 0.4, 0.72)], cream: [c(44, 0.55, 0.88)],
  ivory: [c(48, 0.6, 0.92)], white: [c(40, 0.1, 0.94)], black: [c(230, 0.12, 0.1)],
  gray: [c(220, 0.06, 0.5)], grey: [c(220, 0.06, 0.5)], silver: [c(210, 0.08, 0.72)],
  charcoal: [c(220, 0.1, 0.22)], sunset: [c(24, 0.85, 0.58), c(338, 0.6, 0.6), c(268, 0.4, 0.35)],
  sunrise: [c(36, 0.85, 0.65), c(350, 0.6, 0.75), c(205, 0.5, 0.7)],
  dusk: [c(262, 0.35, 0.35), c(18, 0.6, 0.6)], dawn: [c(30, 0.7, 0.7), c(210, 0.4, 0.6)],
  forest: [c(140, 0.38, 0.3), c(95, 0.35, 0.45)], jungle: [c(130, 0.55, 0.3), c(80, 0.5, 0.45)],
  ocean: [c(200, 0.6, 0.4), c(178, 0.5, 0.5)], sea: [c(195, 0.55, 0.45), c(175, 0.45, 0.55)],
  desert: [c(34, 0.6, 0.6), c(18, 0.55, 0.5)], autumn: [c(22, 0.75, 0.5), c(40, 0.7, 0.5), c(5, 0.55, 0.4)],
  winter: [c(205, 0.35, 0.82), c(220, 0.3, 0.5)], snow: [c(205, 0.3, 0.9)], ice: [c(192, 0.45, 0.82)],
  spring: [c(105, 0.45, 0.65), c(335, 0.55, 0.8)], night: [c(232, 0.45, 0.18), c(250, 0.35, 0.35)],
  midnight: [c(236, 0.5, 0.14)], neon: [c(312, 0.9, 0.55), c(186, 0.9, 0.5)],
  fire: [c(14, 0.9, 0.5), c(40, 0.95, 0.55)], lava: [c(8, 0.85, 0.45)], cherry: [c(350, 0.65, 0.6)],
  pastel: [c(330, 0.5, 0.85), c(200, 0.5, 0.85)], coffee: [c(26, 0.4, 0.3), c(34, 0.4, 0.7)],
} satisfies Record<string, Hsl[]>));

const DARK_MOODS = new Set(["night", "midnight", "dark", "moody", "noir", "dusk", "space", "galaxy", "neon", "navy", "black"]);
const LIGHT_MOODS = new Set(["pastel", "morning", "soft", "light", "bright", "snow", "white", "airy", "spring", "dawn"]);

/** Lower-case words of the prompt (letters of any script, plus digits). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Anchor colours named by the prompt, in order, or hash-derived ones when it names none. */
function anchors(promptWords: string[], promptHue: number): Hsl[] {
  const entries = promptWords.map((word) => WORDS.get(word) ?? WORDS.get(word.replace(/s$/, "")) ?? []);
  // Plain colour words ("navy") outrank mood words ("dusk"): they say exactly what is wanted.
  const named = [...entries.filter((e) => e.length === 1), ...entries.filter((e) => e.length > 1)].flat();
  if (named.length > 0) return named.slice(0, 3);
  return [c(promptHue, 0.55, 0.5), c(promptHue + 35, 0.6, 0.55), c(promptHue - 150, 0.5, 0.5)];
}

/**
 * @param promptHue a hue (0–360) hashed from the prompt text alone
 * @param rng the rendering's generator; jitters hues so each image of a request differs a little
 */
export function buildPalette(promptWords: string[], promptHue: number, rng: Rng): Palette {
  const base = anchors(promptWords, promptHue);
  const at = (i: number): Hsl => {
    const anchor = base[i % base.length] ?? c(promptHue, 0.5, 0.5);
    // A single named colour spreads into its neighbours, so the image is not monochrome.
    const spread = base.length === 1 ? [0, 28, -24][i % 3] ?? 0 : 0;
    return { ...anchor, h: anchor.h + spread + rng.range(-10, 10) };
  };
  const mentioned = (set: Set<string>) => promptWords.some((word) => set.has(word));
  const dark = mentioned(DARK_MOODS) ? true : mentioned(LIGHT_MOODS) ? false : rng.chance(0.45);
  const sat = (hsl: Hsl, factor: number) => Math.min(0.85, hsl.s * factor);
  // Darkest named colour for the sky's top and the ground, lightest for the sun: "golden light
  // over navy water" gets a navy sky and a golden sun, whatever order the words came in.
  const [lo, mid, hi] = [at(0), at(1), at(2)].sort((x, y) => x.l - y.l) as [Hsl, Hsl, Hsl];

  const skyTop = hex(dark ? c(lo.h, sat(lo, 0.7), 0.16) : c(lo.h, sat(lo, 0.6), 0.8));
  const skyBottom = hex(dark ? c(mid.h, sat(mid, 0.8), 0.46) : c(mid.h, sat(mid, 0.7), 0.93));
  const glow = hex(c(hi.h + rng.range(-8, 8), Math.max(0.55, hi.s), dark ? 0.7 : 0.64));
  const accents = [
    hex(c(hi.h, sat(hi, 1), dark ? 0.5 : 0.6)),
    hex(c(lo.h, sat(lo, 1.1), dark ? 0.36 : 0.5)),
    hex(c(mid.h, sat(mid, 0.9), dark ? 0.6 : 0.72)),
  ];
  const ground = hex(dark ? c(lo.h, sat(lo, 0.6), 0.1) : c(lo.h, sat(lo, 0.55), rng.chance(0.7) ? 0.2 : 0.95));
  return { skyTop, skyBottom, glow, accents, ground, ink: inkOn(ground) };
}

/** `count` colours from the far layer (close to the sky) to the near one (close to the ground). */
export function layerColors(palette: Palette, count: number): string[] {
  const far = mix(palette.skyBottom, palette.accents[0] ?? palette.glow, 0.45);
  const near = mix(palette.ground, palette.accents[1] ?? palette.glow, 0.35);
  return Array.from({ length: count }, (_, i) => mix(far, near, count === 1 ? 1 : i / (count - 1)));
}

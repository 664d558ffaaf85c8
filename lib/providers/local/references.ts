// Edits: the local renderer builds its picture from the caller's reference images — the first
// one covering the canvas, or several in a collage — under a light tint, a few translucent
// shapes and a scrim that carries the caption.
import sharp, { type OverlayOptions } from "sharp";
import { ProviderError, type ReferenceImage } from "../types";
import { mix } from "./color";
import type { Palette } from "./palette";
import type { Rng } from "./random";
import { circle, num, opacity, rect } from "./svg";

type Cell = { left: number; top: number; width: number; height: number };

const POSITIONS = ["centre", "north", "south", "east", "west"] as const;
export type CropPosition = (typeof POSITIONS)[number];

/** One crop position per reference; varies with the image index so images of a request differ. */
export function cropPositions(count: number, rng: Rng): CropPosition[] {
  return Array.from({ length: count }, () => rng.pick(POSITIONS));
}

/** Cells for `count` images: one full canvas, two halves, one large and two small, or a grid. */
function layout(count: number, width: number, height: number): Cell[] {
  const gap = Math.max(2, Math.round(Math.min(width, height) * 0.008));
  const cell = (left: number, top: number, right: number, bottom: number): Cell => ({
    left: Math.round(left),
    top: Math.round(top),
    width: Math.max(1, Math.round(right) - Math.round(left)),
    height: Math.max(1, Math.round(bottom) - Math.round(top)),
  });
  if (count <= 1) return [cell(0, 0, width, height)];
  if (count === 2) {
    return width >= height
      ? [cell(0, 0, width / 2 - gap / 2, height), cell(width / 2 + gap / 2, 0, width, height)]
      : [cell(0, 0, width, height / 2 - gap / 2), cell(0, height / 2 + gap / 2, width, height)];
  }
  if (count === 3) {
    const split = width * 0.6;
    return [
      cell(0, 0, split - gap / 2, height),
      cell(split + gap / 2, 0, width, height / 2 - gap / 2),
      cell(split + gap / 2, height / 2 + gap / 2, width, height),
    ];
  }
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  return Array.from({ length: count }, (_, i) => {
    const row = Math.floor(i / columns);
    // The last row may hold fewer images; they share its whole width.
    const inRow = row === rows - 1 ? count - row * columns : columns;
    const col = i - row * columns;
    const w = width / inRow;
    const h = height / rows;
    return cell(col * w + (col > 0 ? gap / 2 : 0), row * h + (row > 0 ? gap / 2 : 0),
      (col + 1) * w - (col < inRow - 1 ? gap / 2 : 0), (row + 1) * h - (row < rows - 1 ? gap / 2 : 0));
  });
}

function unreadable(index: number, cause: unknown): ProviderError {
  return new ProviderError("input", "invalid_image_url", `Reference image ${index + 1} could not be read as an image.`, { cause });
}

/** A reference fitted into its cell, ready for sharp's `composite`. */
export type Placed = OverlayOptions & { input: Buffer };

/**
 * PNG, JPEG or WebP by their magic bytes. Checked before sharp sees the bytes, because sharp
 * would also load an SVG — and librsvg must never parse a caller's XML.
 */
function isReadable(bytes: Buffer): boolean {
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const webp = bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP";
  return png || jpeg || webp;
}

/**
 * The references fitted into the cells of a `width` × `height` canvas (transparent pixels
 * flattened onto `background`), to composite over a canvas of that colour. Throws
 * ProviderError("input") when a reference is not a readable PNG, JPEG or WebP image.
 */
export async function placeReferences(
  references: ReferenceImage[],
  width: number,
  height: number,
  positions: CropPosition[],
  background: string,
): Promise<Placed[]> {
  const cells = layout(references.length, width, height);
  return Promise.all(
    references.map(async (reference, i): Promise<Placed> => {
      const cell = cells[i] ?? { left: 0, top: 0, width, height };
      try {
        if (!isReadable(reference.bytes)) throw new Error("not a PNG, JPEG or WebP image");
        const { data, info } = await sharp(reference.bytes, { failOn: "error" })
          .autoOrient()
          .resize(cell.width, cell.height, { fit: "cover", position: positions[i] ?? "centre" })
          .flatten({ background })
          .raw()
          .toBuffer({ resolveWithObject: true });
        return { input: data, raw: { width: info.width, height: info.height, channels: info.channels }, left: cell.left, top: cell.top };
      } catch (error) {
        throw unreadable(i, error);
      }
    }),
  );
}

/** Tint, light shapes and the caption scrim drawn over the references (SVG elements). */
export function editOverlay(rng: Rng, palette: Palette, width: number, height: number, groundY: number): string {
  const short = Math.min(width, height);
  let out = rect(0, 0, width, height, palette.accents[0] ?? palette.glow, opacity(rng.range(0.1, 0.18)));
  for (let i = rng.int(2, 3); i > 0; i--) {
    const fill = rng.pick([palette.glow, ...palette.accents]);
    out += circle(rng.range(0, width), rng.range(0, groundY), short * rng.range(0.12, 0.3), fill, opacity(rng.range(0.1, 0.2)));
  }
  const r = short * rng.range(0.2, 0.35);
  out += `<circle cx="${num(rng.range(0.3, 0.7) * width)}" cy="${num(groundY * rng.range(0.3, 0.6))}" r="${num(r)}" fill="none" stroke="#ffffff" stroke-opacity="0.4" stroke-width="${num(Math.max(1, short * 0.003))}"/>`;
  // The scrim is always dark so the light caption reads over any photograph.
  const scrim = mix(palette.accents[1] ?? palette.ground, "#0d0d14", 0.78);
  const step = short * 0.018;
  for (let i = 1; i <= 3; i++) out += rect(0, groundY - step * i, width, step, scrim, opacity(0.62 - 0.18 * i));
  return out + rect(0, groundY, width, height - groundY, scrim, opacity(0.8));
}

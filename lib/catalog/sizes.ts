import type { CustomSizeRule, SizeOption } from "./types";

export const ASPECT_RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4", "21:9"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

const option = (size: string, width: number, height: number): SizeOption => ({ size, width, height });

/** ~1 megapixel, every side a multiple of 64. */
export const STANDARD_SIZES: SizeOption[] = [
  option("1:1", 1024, 1024),
  option("16:9", 1344, 768),
  option("9:16", 768, 1344),
  option("4:3", 1152, 896),
  option("3:4", 896, 1152),
  option("21:9", 1536, 640),
];

/** ~4 megapixels, for the `-pro` models. */
export const PRO_SIZES: SizeOption[] = [
  option("1:1", 2048, 2048),
  option("16:9", 2688, 1536),
  option("9:16", 1536, 2688),
  option("4:3", 2304, 1792),
  option("3:4", 1792, 2304),
  option("21:9", 3072, 1280),
];

/** Imagen has no 21:9. */
export const IMAGEN_SIZES: SizeOption[] = STANDARD_SIZES.filter((s) => s.size !== "21:9");

/** gpt-image-2 takes four pixel sizes (docs/product-rules.md); "1:1" is accepted as 1024×1024. */
export const GPT_IMAGE_SIZES: SizeOption[] = [
  option("1:1", 1024, 1024),
  option("1024x1536", 1024, 1536),
  option("1536x1024", 1536, 1024),
  option("2048x2048", 2048, 2048),
];

/**
 * Any width and height from 256 to 2048 pixels: an upstream that takes other steps (multiples of
 * 16 or 32) is sent the nearest size it takes, and the charge follows the size it returns.
 */
export const FLUX_CUSTOM_SIZE: CustomSizeRule = { min: 256, max: 2048, multipleOf: 1 };

const PIXELS = /^(\d{2,5})x(\d{2,5})$/;

/**
 * The pixel dimensions of a requested `size` for a model, or null when the model does not
 * take it. Accepts a listed aspect ratio, the listed pixels written "WxH", or — where the model
 * allows it — any WxH within its custom bounds.
 */
export function resolveSize(
  size: string,
  sizes: SizeOption[],
  custom?: CustomSizeRule,
): SizeOption | null {
  const wanted = size.trim().toLowerCase().replace("×", "x");
  const listed = sizes.find((s) => s.size === wanted || `${s.width}x${s.height}` === wanted);
  if (listed) return listed;
  const match = PIXELS.exec(wanted);
  if (!match || !custom) return null;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const fits = (side: number) => side >= custom.min && side <= custom.max && side % custom.multipleOf === 0;
  return fits(width) && fits(height) ? { size: `${width}x${height}`, width, height } : null;
}

/** How far (as a ratio) an aspect ratio may be from the nearest one a model takes: 25 %. */
const MAX_ASPECT_DISTANCE = Math.log(1.25);

/**
 * The size a model takes that is nearest to `width` × `height`, for clients that ask in pixels
 * for a model with fixed sizes (the OpenAI SDK's "1536x1024", a width and a height): exactly
 * those pixels where the model takes any size, else the listed size closest in aspect ratio
 * (then in area). Null when no listed size comes within 25 % of the aspect ratio: a size the
 * model cannot approach is refused, never silently replaced by something else.
 */
export function nearestSize(width: number, height: number, sizes: SizeOption[], custom?: CustomSizeRule): SizeOption | null {
  if (!(width > 0 && height > 0)) return null;
  const exact = resolveSize(`${width}x${height}`, sizes, custom);
  if (exact) return exact;
  const aspect = (w: number, h: number) => Math.log(w / h);
  const area = (w: number, h: number) => Math.log(w * h);
  let best: SizeOption | null = null;
  let bestScore = Infinity;
  for (const option of sizes) {
    const aspectDistance = Math.abs(aspect(option.width, option.height) - aspect(width, height));
    if (aspectDistance > MAX_ASPECT_DISTANCE + 1e-9) continue;
    const score = aspectDistance * 100 + Math.abs(area(option.width, option.height) - area(width, height));
    if (score < bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}

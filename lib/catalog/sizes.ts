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

export const FLUX_CUSTOM_SIZE: CustomSizeRule = { min: 256, max: 2048, multipleOf: 16 };

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

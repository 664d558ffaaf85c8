// The one place where the cost of an image is computed (docs/product-rules.md, "Money"). Pure: the server prices holds
// and charges with it, and the browser's live preview runs the very same code.
import type { ImageModel, Quality } from "./types";

export type ImageSpec = { width: number; height: number; quality?: Quality };

/** Whole megapixels as billed per-megapixel: round(w × h / 1,000,000), at least 1. */
export function billedMegapixels(width: number, height: number): number {
  return Math.max(1, Math.floor((width * height + 500_000) / 1_000_000));
}

const BASE_PIXELS = 1024n * 1024n;

/** The list price of one image of `spec` from `model`, in micro-dollars. */
export function imageCost(model: ImageModel, spec: ImageSpec): bigint {
  const pricing = model.pricing;
  switch (pricing.mode) {
    case "flat":
      return pricing.unitMicros;
    case "per_megapixel": {
      const extra = BigInt(billedMegapixels(spec.width, spec.height) - 1);
      return pricing.firstMegapixelMicros + pricing.extraMegapixelMicros * extra;
    }
    case "per_quality": {
      const price = pricing.qualityMicros[spec.quality ?? pricing.defaultQuality];
      // Scaled by pixel count against 1024×1024 (× 1.5 for 1024×1536, × 4 for 2048×2048),
      // rounded half up to a whole micro-dollar; the listed sizes divide exactly.
      const scaled = price * BigInt(spec.width) * BigInt(spec.height);
      return (scaled + BASE_PIXELS / 2n) / BASE_PIXELS;
    }
  }
}

export type CostEstimate = {
  perImageMicros: bigint;
  totalMicros: bigint;
  n: number;
  /** per-megapixel models: the megapixels billed per image. */
  megapixels?: number;
  /** per-quality models: the quality priced. */
  quality?: Quality;
};

/** What a request for `n` images of `spec` costs: the amount held when the job is accepted. */
export function estimateCost(model: ImageModel, spec: ImageSpec & { n: number }): CostEstimate {
  const perImageMicros = imageCost(model, spec);
  const estimate: CostEstimate = { perImageMicros, totalMicros: perImageMicros * BigInt(spec.n), n: spec.n };
  if (model.pricing.mode === "per_megapixel") estimate.megapixels = billedMegapixels(spec.width, spec.height);
  if (model.pricing.mode === "per_quality") estimate.quality = spec.quality ?? model.pricing.defaultQuality;
  return estimate;
}

/**
 * What a finished job is charged: the images actually delivered, at their actual dimensions,
 * never more than the estimate the caller accepted.
 */
export function settledCost(model: ImageModel, delivered: ImageSpec[], estimateMicros: bigint): bigint {
  const actual = delivered.reduce((sum, image) => sum + imageCost(model, image), 0n);
  return actual < estimateMicros ? actual : estimateMicros;
}

// The catalogue as the API shows it: GET /v1/models and GET /v1/pricing. Pure.
import { toUsd } from "@/lib/money";
import { billedMegapixels, imageCost, type CostEstimate } from "./cost";
import { MODELS } from "./models";
import type { EstimateObject, ModelObject, PricingObject } from "./schemas";
import { QUALITIES, type Capability, type ImageModel, type Quality, type Tier } from "./types";

export const MODEL_TIERS: readonly Tier[] = ["quality", "fast", "cheap"];
export const CAPABILITIES: readonly Capability[] = [
  "raster",
  "vector",
  "edit",
  "multi_reference",
  "typography",
  "high_resolution",
  "image_required",
  "preview",
];

const PER_MEGAPIXEL_EXAMPLES = [
  [1024, 1024],
  [1920, 1080],
  [2048, 2048],
] as const;

const byQuality = (price: (quality: Quality) => number) =>
  Object.fromEntries(QUALITIES.map((q) => [q, price(q)])) as Record<Quality, number>;

export function pricingJson(model: ImageModel): PricingObject {
  const pricing = model.pricing;
  switch (pricing.mode) {
    case "flat":
      return { mode: "flat" as const, unit: "image", unit_price: toUsd(pricing.unitMicros) };
    case "per_megapixel":
      return {
        mode: "per_megapixel" as const,
        unit: "image",
        first_megapixel: toUsd(pricing.firstMegapixelMicros),
        extra_megapixel: toUsd(pricing.extraMegapixelMicros),
        rounding: "megapixels = round(width × height / 1,000,000), at least 1",
        examples: PER_MEGAPIXEL_EXAMPLES.map(([width, height]) => ({
          size: `${width}x${height}`,
          megapixels: billedMegapixels(width, height),
          price: toUsd(imageCost(model, { width, height })),
        })),
      };
    case "per_quality":
      return {
        mode: "per_quality" as const,
        unit: "image",
        default_quality: pricing.defaultQuality,
        qualities: byQuality((q) => toUsd(pricing.qualityMicros[q])),
        sizes: model.sizes.map((s) => ({
          size: s.size,
          width: s.width,
          height: s.height,
          prices: byQuality((q) => toUsd(imageCost(model, { ...s, quality: q }))),
        })),
      };
  }
}

/**
 * A model as GET /v1/models serves it. `typicalDurations` (lib/jobs/typical-durations.ts) gives
 * `typical_duration_ms`: the median start-to-finish time of its recent jobs, null without any.
 */
export function modelJson(model: ImageModel, typicalDurations?: ReadonlyMap<string, number>): ModelObject {
  return {
    id: model.id,
    object: "model",
    name: model.name,
    best_for: model.bestFor,
    tier: model.tier,
    legacy: model.legacy,
    replaced_by: model.replacedBy ?? null,
    capabilities: model.capabilities,
    inputs: model.inputs,
    output_format: model.outputFormat,
    pricing: pricingJson(model),
    sizes: model.sizes,
    default_size: model.defaultSize,
    custom_size: model.customSize
      ? { min: model.customSize.min, max: model.customSize.max, multiple_of: model.customSize.multipleOf }
      : null,
    max_n: model.maxN,
    typical_duration_ms: typicalDurations?.get(model.id) ?? null,
    max_prompt_length: model.maxPromptLength,
    max_references: model.maxReferences,
    high_fidelity_references: model.highFidelityReferences ?? null,
    providers: model.providers,
    // Kept for clients written before `tier` and `capabilities` (docs/product-rules.md).
    cost_tier: model.legacyTiers.cost,
    quality_tier: model.legacyTiers.quality,
    latency_tier: model.legacyTiers.latency,
  };
}

export function listModels(filter: { tier?: Tier; capability?: Capability } = {}): ImageModel[] {
  return MODELS.filter(
    (m) => (!filter.tier || m.tier === filter.tier) && (!filter.capability || m.capabilities.includes(filter.capability)),
  );
}

export function estimateJson(model: ImageModel, params: { size: string; width: number; height: number; n: number }, estimate: CostEstimate): EstimateObject {
  return {
    object: "pricing.estimate",
    model: model.id,
    size: params.size,
    width: params.width,
    height: params.height,
    n: estimate.n,
    ...(estimate.quality ? { quality: estimate.quality } : {}),
    ...(estimate.megapixels ? { megapixels: estimate.megapixels } : {}),
    unit_price: toUsd(estimate.perImageMicros),
    estimated_cost: toUsd(estimate.totalMicros),
    currency: "usd",
  };
}

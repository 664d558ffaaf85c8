// The catalogue's shapes on the wire, in zod: GET /v1/models (and its filters), GET /v1/pricing
// and POST /v1/pricing/estimate. present.ts is typed by these; the OpenAPI document is generated
// from them. Server only: the browser imports types.
import * as z from "zod";
import { CAPABILITIES, MODEL_TIERS } from "./present";
import type { Capability, ProviderId } from "./types";

const QUALITY = ["low", "medium", "high"] as const;
const PROVIDERS = ["recraft", "bfl", "ideogram", "openai", "minimax", "vertex", "gemini", "fal", "local"] as const satisfies readonly ProviderId[];
const tiers = MODEL_TIERS as readonly ["quality", "fast", "cheap"];
const capabilities = CAPABILITIES as readonly [Capability, ...Capability[]];

const price = z.number().meta({ description: "USD per image, list price (markup included)." });
const byQuality = z.object({ low: price, medium: price, high: price });

const flatPricing = z.object({ mode: z.literal("flat"), unit: z.literal("image"), unit_price: price });
const perMegapixelPricing = z.object({
  mode: z.literal("per_megapixel"),
  unit: z.literal("image"),
  first_megapixel: price,
  extra_megapixel: z.number().meta({ description: "USD for each further whole megapixel." }),
  rounding: z.string(),
  examples: z.array(z.object({ size: z.string(), megapixels: z.int(), price })),
});
const perQualityPricing = z.object({
  mode: z.literal("per_quality"),
  unit: z.literal("image"),
  default_quality: z.enum(QUALITY),
  qualities: byQuality,
  sizes: z.array(z.object({ size: z.string(), width: z.int(), height: z.int(), prices: byQuality })),
});

export const pricingSchema = z.discriminatedUnion("mode", [flatPricing, perMegapixelPricing, perQualityPricing]).meta({ id: "Pricing" });

export type PricingObject = z.output<typeof pricingSchema>;

const ofModel = { model: z.string(), legacy: z.boolean() };
const modelPricingSchema = z
  .discriminatedUnion("mode", [flatPricing.extend(ofModel), perMegapixelPricing.extend(ofModel), perQualityPricing.extend(ofModel)])
  .meta({ id: "ModelPricing" });

const sizeOption = z.object({ size: z.string(), width: z.int(), height: z.int() });

export const modelSchema = z
  .object({
    id: z.string().meta({ example: "recraft-v4" }),
    object: z.literal("model"),
    name: z.string(),
    best_for: z.string(),
    tier: z.enum(tiers),
    legacy: z.boolean().meta({ description: "Still callable; hidden in the composer unless asked for." }),
    replaced_by: z.string().nullable(),
    capabilities: z.array(z.enum(capabilities)),
    inputs: z.enum(["text", "text+image", "text+images"]),
    output_format: z.enum(["png", "svg"]),
    pricing: pricingSchema,
    sizes: z.array(sizeOption),
    default_size: z.string(),
    custom_size: z.object({ min: z.int(), max: z.int(), multiple_of: z.int() }).nullable(),
    max_n: z.int(),
    max_prompt_length: z.int().meta({ description: "In characters after Unicode NFC normalisation." }),
    max_references: z.int(),
    high_fidelity_references: z.int().nullable(),
    providers: z.array(z.enum(PROVIDERS)),
    cost_tier: z.enum(["low", "medium", "high"]).meta({ description: "Kept for older clients; use tier." }),
    quality_tier: z.enum(["standard", "high", "premium"]).meta({ description: "Kept for older clients; use tier." }),
    latency_tier: z.enum(["fast", "standard", "slow"]).meta({ description: "Kept for older clients; use tier." }),
    typical_duration_ms: z
      .int()
      .nullable()
      .meta({ description: "The median start-to-finish time of this model's recent jobs, in ms; null without history." }),
  })
  .meta({ id: "Model" });

export type ModelObject = z.output<typeof modelSchema>;

export const modelListSchema = z.object({ object: z.literal("list"), data: z.array(modelSchema) }).meta({ id: "ModelList" });

/** GET /v1/models/{id} */
export const modelPathSchema = z.object({ id: z.string().meta({ example: "recraft-v4" }) });

/** GET /v1/models?tier=&capability= */
export const modelsQuerySchema = z.object({
  tier: z.enum(tiers, { error: `tier must be one of ${MODEL_TIERS.join(", ")}.` }).optional(),
  capability: z.enum(capabilities, { error: `capability must be one of ${CAPABILITIES.join(", ")}.` }).optional(),
});

export const pricingListSchema = z
  .object({
    object: z.literal("list"),
    currency: z.literal("usd"),
    markup: z.number().meta({ description: "The markup already included in every list price." }),
    data: z.array(modelPricingSchema),
  })
  .meta({ id: "PricingList" });

export const estimateSchema = z
  .object({
    object: z.literal("pricing.estimate"),
    model: z.string(),
    size: z.string(),
    width: z.int(),
    height: z.int(),
    n: z.int(),
    quality: z.enum(QUALITY).optional(),
    megapixels: z.int().optional().meta({ description: "Billed megapixels per image (per-megapixel models)." }),
    unit_price: price,
    estimated_cost: z.number().meta({ description: "USD that a submit of this body would hold." }),
    currency: z.literal("usd"),
  })
  .meta({ id: "Estimate" });

export type EstimateObject = z.output<typeof estimateSchema>;

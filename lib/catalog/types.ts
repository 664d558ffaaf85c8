// The shape of the image-model catalogue (docs/product-rules.md). Pure data and types: safe in the browser.

export type Tier = "quality" | "fast" | "cheap";
export type Quality = "low" | "medium" | "high";
export const QUALITIES: readonly Quality[] = ["low", "medium", "high"];

export type Capability =
  | "raster"
  | "vector"
  | "edit"
  | "multi_reference"
  | "typography"
  | "high_resolution"
  | "image_required"
  | "preview";

export type InputKind = "text" | "text+image" | "text+images";

export type ProviderId = "recraft" | "bfl" | "ideogram" | "openai" | "minimax" | "vertex" | "gemini" | "fal" | "local";

/** A named size a model accepts: an aspect ratio ("16:9") or exact pixels ("1024x1536"). */
export type SizeOption = { size: string; width: number; height: number };

/** Free width × height within bounds (flux-2-pro). */
export type CustomSizeRule = { min: number; max: number; multipleOf: number };

/** List prices, markup included, in micro-dollars per image. */
export type Pricing =
  | { mode: "flat"; unitMicros: bigint }
  /** (first MP) + (each further whole MP), MP = round(w × h / 1,000,000), at least 1. */
  | { mode: "per_megapixel"; firstMegapixelMicros: bigint; extraMegapixelMicros: bigint }
  /** Price of one 1024×1024 image per quality, scaled by pixel count (1024×1536 → × 1.5). */
  | { mode: "per_quality"; qualityMicros: Record<Quality, bigint>; defaultQuality: Quality };

export type ImageModel = {
  id: string;
  name: string;
  bestFor: string;
  tier: Tier;
  legacy: boolean;
  /** A successor to recommend to callers of a legacy model. */
  replacedBy?: string;
  capabilities: Capability[];
  inputs: InputKind;
  pricing: Pricing;
  /** Upstreams to try in order; the local renderer is always the last resort. */
  providers: ProviderId[];
  sizes: SizeOption[];
  defaultSize: string;
  customSize?: CustomSizeRule;
  maxN: number;
  /** In characters (code points) after Unicode NFC normalisation. */
  maxPromptLength: number;
  /** 0 for text-only models. */
  maxReferences: number;
  /** References beyond this many act as looser composition guides (flux-2-pro: 6). */
  highFidelityReferences?: number;
  outputFormat: "png" | "svg";
  /** Kept for older clients, which filter on these rather than `tier`. */
  legacyTiers: { cost: "low" | "medium" | "high"; quality: "standard" | "high" | "premium"; latency: "fast" | "standard" | "slow" };
};

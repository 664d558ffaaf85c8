// The composer's state and what follows from it: the models on show, the request body, its cost
// and whether it may be sent. Pure, so the browser previews with the very code the server runs:
// the catalogue's one cost function prices it, checkGenerationRequest validates it.
import { DEFAULT_MODEL, estimateCost, findModel, MODELS, QUALITIES, resolveSize, type CostEstimate, type ImageModel, type Quality, type Tier } from "@/lib/catalog";
import { DomainError } from "@/lib/errors";
import { checkGenerationRequest, promptLength, type GenerationInput } from "@/lib/jobs/generation-check";

export const CUSTOM_SIZE = "custom";

export type Reference = { url: string; name: string };

export type ComposerState = {
  tier: Tier;
  vectorOnly: boolean;
  showLegacy: boolean;
  modelId: string;
  prompt: string;
  /** A size the model lists ("16:9", "1024x1536"), or CUSTOM_SIZE for free width × height. */
  size: string;
  customWidth: number;
  customHeight: number;
  n: number;
  quality: Quality;
  references: Reference[];
};

/** What a finished job, or nothing, says the composer should start from. */
export type Seed = {
  model?: string;
  prompt?: string;
  params?: { size?: string; n?: number; quality?: Quality; image_urls?: string[] };
};

const modelOf = (state: Pick<ComposerState, "modelId">): ImageModel => findModel(state.modelId) ?? findModel(DEFAULT_MODEL)!;

export function initialState(seed: Seed = {}): ComposerState {
  const model = (seed.model && findModel(seed.model)) || findModel(DEFAULT_MODEL)!;
  const listed = model.sizes.some((s) => s.size === seed.params?.size);
  const custom = !listed && seed.params?.size && /^\d+x\d+$/.test(seed.params.size) ? seed.params.size.split("x").map(Number) : null;
  return {
    tier: model.tier,
    vectorOnly: model.capabilities.includes("vector"),
    showLegacy: model.legacy,
    modelId: model.id,
    prompt: seed.prompt ?? "",
    size: listed ? seed.params!.size! : custom ? CUSTOM_SIZE : model.defaultSize,
    customWidth: custom?.[0] ?? 1024,
    customHeight: custom?.[1] ?? 1024,
    n: Math.min(model.maxN, Math.max(1, seed.params?.n ?? 1)),
    quality: seed.params?.quality ?? (model.pricing.mode === "per_quality" ? model.pricing.defaultQuality : "medium"),
    references: (seed.params?.image_urls ?? []).slice(0, model.maxReferences).map((url, i) => ({ url, name: `Reference ${i + 1}` })),
  };
}

export function visibleModels(state: Pick<ComposerState, "tier" | "vectorOnly" | "showLegacy">): ImageModel[] {
  return MODELS.filter(
    (m) => m.tier === state.tier && (!state.vectorOnly || m.capabilities.includes("vector")) && (state.showLegacy || !m.legacy),
  );
}

/** Choosing a model keeps what still applies and resets what the new model cannot take. */
export function chooseModel(state: ComposerState, modelId: string): ComposerState {
  const model = findModel(modelId);
  if (!model) return state;
  const sizeFits = state.size === CUSTOM_SIZE ? Boolean(model.customSize) : model.sizes.some((s) => s.size === state.size);
  return {
    ...state,
    modelId,
    size: sizeFits ? state.size : model.defaultSize,
    n: Math.min(state.n, model.maxN),
    references: state.references.slice(0, model.maxReferences),
  };
}

/** A filter change: if the chosen model is no longer on show, the first one that is is chosen. */
export function withFilters(state: ComposerState, filters: Partial<Pick<ComposerState, "tier" | "vectorOnly" | "showLegacy">>): ComposerState {
  const next = { ...state, ...filters };
  const shown = visibleModels(next);
  return shown.some((m) => m.id === next.modelId) || shown.length === 0 ? next : chooseModel(next, shown[0]!.id);
}

export function requestBody(state: ComposerState): GenerationInput {
  const model = modelOf(state);
  const body: GenerationInput = {
    model: model.id,
    prompt: state.prompt,
    size: state.size === CUSTOM_SIZE ? `${state.customWidth}x${state.customHeight}` : state.size,
    n: state.n,
  };
  if (model.pricing.mode === "per_quality") body.quality = state.quality;
  if (state.references.length > 0) body.image_urls = state.references.map((r) => r.url);
  return body;
}

/**
 * The request as it stands: what it would hold, and why it cannot be sent yet. The cost depends
 * only on model, size, n and quality, so it shows from the first moment, before any prompt.
 */
export type Preview = {
  /** Null only when the size or n is one the model does not take (the problem then says so). */
  estimate: CostEstimate | null;
  megapixels?: number;
  quality?: Quality;
  /** The server's own objection to the request, or null when it would be accepted. */
  problem: { code: string; message: string } | null;
};

/** The cost of the request as it stands, and the server's own checks of it. */
export function preview(state: ComposerState): Preview {
  const body = requestBody(state);
  const model = modelOf(state);
  const size = resolveSize(body.size ?? model.defaultSize, model.sizes, model.customSize);
  const n = body.n ?? 1;
  const estimate =
    size && n >= 1 && n <= model.maxN
      ? estimateCost(model, { width: size.width, height: size.height, quality: body.quality as Quality | undefined, n })
      : null;
  let problem: Preview["problem"] = null;
  try {
    checkGenerationRequest(body, "generation");
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problem = { code: error.code, message: error.message };
  }
  return { estimate, megapixels: estimate?.megapixels, quality: estimate?.quality, problem };
}

export function promptCount(state: ComposerState): { length: number; max: number } {
  return { length: promptLength(state.prompt), max: modelOf(state).maxPromptLength };
}

/** The API's messages speak to code; these few speak to someone at the composer. */
const IN_WORDS: Record<string, string> = {
  prompt_required: "Write a prompt to start.",
  image_url_required: "Add a reference image: this model edits an image.",
};

/** Why submit is disabled, in words for the button's neighbour; null when it may go. */
export function submitBlocker(result: Preview, availableMicros: bigint | null): string | null {
  if (result.problem) return IN_WORDS[result.problem.code] ?? result.problem.message;
  if (result.estimate && availableMicros !== null && availableMicros < result.estimate.totalMicros) return "Not enough credit for this request.";
  return null;
}

export { QUALITIES };

// Validates a generation or edit request against the catalogue and prices it, once its shape
// is known. Pure and free of zod (it imports only types from schemas.ts): the server runs it after parsing a body
// (generation-request.ts), and the composer runs it in the browser on every change.
import {
  acceptsImages,
  DEFAULT_EDIT_MODEL,
  DEFAULT_MODEL,
  estimateCost,
  findModel,
  QUALITIES,
  resolveSize,
  type CostEstimate,
  type ImageModel,
  type Quality,
} from "@/lib/catalog";
import { invalidInput } from "@/lib/errors";
import type { GenerationBody, JobParams } from "./schemas";

/** More references than this is refused whatever the model (docs/product-rules.md). */
export const MAX_REFERENCES = 10;
const MAX_URL_LENGTH = 4096;

/** A request body whose fields have the right types (null standing for absent). */
export type GenerationInput = GenerationBody;

export type Endpoint = "generation" | "edit";

export type GenerationRequest = {
  kind: Endpoint;
  model: ImageModel;
  /** NFC-normalised. */
  prompt: string;
  params: JobParams;
  estimate: CostEstimate;
  idempotencyKey?: string;
  /** The job's own webhook receiver (checked on the server only) and the events it wants. */
  webhook?: { url: string; events: Array<"started" | "completed"> | null };
};

/** Prompt length as the API counts it: characters (code points) after NFC normalisation. */
export function promptLength(prompt: string): number {
  let count = 0;
  for (const _ of prompt.normalize("NFC")) count++;
  return count;
}

/** Validates and prices a well-typed request; throws `InvalidInput` naming the problem. */
export function checkGenerationRequest(input: GenerationInput, kind: Endpoint): GenerationRequest {
  const modelId = input.model ?? (kind === "edit" ? DEFAULT_EDIT_MODEL : DEFAULT_MODEL);
  const model = findModel(modelId);
  if (!model) {
    throw invalidInput("unknown_model", `There is no model "${modelId.slice(0, 100)}". GET /v1/models lists them.`, "model");
  }

  const prompt = (input.prompt ?? "").normalize("NFC");
  if (prompt.trim() === "") throw invalidInput("prompt_required", "A non-empty prompt is required.", "prompt");
  if (prompt.includes("\u0000")) throw invalidInput("invalid_parameter", "The prompt must not contain NUL characters.", "prompt");
  const length = promptLength(prompt);
  if (length > model.maxPromptLength) {
    throw invalidInput(
      "prompt_too_long",
      `The prompt is ${length} characters; ${model.id} accepts at most ${model.maxPromptLength}.`,
      "prompt",
    );
  }

  const imageUrls = referenceImages(model, kind, input);

  const n = input.n ?? 1;
  if (n < 1 || n > model.maxN) {
    throw invalidInput("n_out_of_range", `n must be between 1 and ${model.maxN}.`, "n");
  }

  const requestedSize = input.size ?? model.defaultSize;
  const size = resolveSize(requestedSize, model.sizes, model.customSize);
  if (!size) {
    const custom = model.customSize
      ? `, or WIDTHxHEIGHT with sides from ${model.customSize.min} to ${model.customSize.max}${model.customSize.multipleOf > 1 ? ` in multiples of ${model.customSize.multipleOf}` : ""}`
      : "";
    throw invalidInput(
      "unsupported_size",
      `${model.id} does not take size "${requestedSize}". It takes ${model.sizes.map((s) => s.size).join(", ")}${custom}.`,
      "size",
    );
  }

  const quality = qualityFor(model, input.quality);
  const params: GenerationRequest["params"] = { size: size.size, width: size.width, height: size.height, n };
  if (quality) params.quality = quality;
  if (imageUrls.length > 0) params.image_urls = imageUrls;
  if (input.seed != null) params.seed = input.seed;

  return {
    kind,
    model,
    prompt,
    params,
    estimate: estimateCost(model, { width: size.width, height: size.height, quality, n }),
    idempotencyKey: input.idempotency_key ?? undefined,
  };
}

function referenceImages(model: ImageModel, kind: Endpoint, input: GenerationInput): string[] {
  const urls = [...(input.image_url != null ? [input.image_url] : []), ...(input.image_urls ?? [])];
  const param = input.image_urls?.length ? "image_urls" : "image_url";

  if (urls.length > 0 && !acceptsImages(model)) {
    throw invalidInput("not_multimodal", `${model.id} takes text only; it cannot use reference images.`, param);
  }
  if (urls.length > MAX_REFERENCES) {
    throw invalidInput("too_many_references", `At most ${MAX_REFERENCES} reference images are accepted; got ${urls.length}.`, param);
  }
  if (urls.length > model.maxReferences) {
    throw invalidInput(
      "too_many_references",
      `${model.id} takes at most ${model.maxReferences} reference image${model.maxReferences === 1 ? "" : "s"}; got ${urls.length}.`,
      param,
    );
  }
  if (urls.length === 0 && (kind === "edit" || model.capabilities.includes("image_required"))) {
    throw invalidInput(
      "image_url_required",
      kind === "edit" ? "An edit needs an image: pass image_url." : `${model.id} edits an image: pass image_url.`,
      "image_url",
    );
  }
  return urls.map((url, index) => checkImageUrl(url, param === "image_urls" ? `image_urls[${index}]` : "image_url"));
}

/**
 * The syntactic check done at submit; the worker's SSRF-safe fetcher checks the address.
 * Returns the URL normalised (percent-encoded), which is what is stored.
 */
function checkImageUrl(url: string, param: string): string {
  let parsed: URL | null = null;
  try {
    parsed = url.length <= MAX_URL_LENGTH ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  // Our own signed file URLs (an upload, an earlier output) may be http:// on a local server;
  // the worker reads those from storage after checking the signature, never over the network.
  const ownFile = parsed !== null && /^\/v1\/files\/file_[0-9a-z]{26}$/.test(parsed.pathname) && parsed.searchParams.has("sig");
  if (!parsed || (parsed.protocol !== "https:" && !(ownFile && parsed.protocol === "http:")) || parsed.username || parsed.password) {
    throw invalidInput("invalid_image_url", "Each image URL must be an absolute https:// URL without credentials.", param);
  }
  return parsed.href;
}

function qualityFor(model: ImageModel, requested: string | null | undefined): Quality | undefined {
  if (model.pricing.mode !== "per_quality") {
    if (requested != null) {
      throw invalidInput("unsupported_quality", `${model.id} has no quality setting.`, "quality");
    }
    return undefined;
  }
  const quality = requested ?? model.pricing.defaultQuality;
  if (!(QUALITIES as readonly string[]).includes(quality)) {
    throw invalidInput("unsupported_quality", `quality must be one of ${QUALITIES.join(", ")}.`, "quality");
  }
  return quality as Quality;
}


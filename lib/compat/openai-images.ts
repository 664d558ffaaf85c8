// The OpenAI Images API's request, read into Easel's own generation input, so that the official
// `openai` SDK (and anything else that speaks that API) works unchanged. What OpenAI's API takes
// and Easel's models have no control for is accepted and ignored; what would change the result
// is mapped explicitly — a size to the nearest the model takes, a quality to Easel's three —
// and what cannot be honoured is refused, never silently dropped.
import * as z from "zod";
import { DEFAULT_EDIT_MODEL, DEFAULT_MODEL, findModel, nearestSize, type ImageModel, type Quality } from "@/lib/catalog";
import { invalidInput } from "@/lib/errors";
import type { Endpoint, GenerationInput } from "@/lib/jobs/generation-check";

/** Numbers arrive as strings in multipart edits: both are taken. */
const integer = z.union([z.int(), z.string().regex(/^\d{1,9}$/).transform(Number)]);
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]);

export const openAiImageBodySchema = z.strictObject({
  prompt: z.string().optional(),
  model: z.string().optional(),
  n: integer.optional(),
  size: z.string().optional(),
  quality: z.enum(["auto", "low", "medium", "high", "standard", "hd"]).optional(),
  response_format: z.enum(["b64_json", "url"]).optional(),
  output_format: z.enum(["png", "jpeg", "webp"]).optional(),
  // Accepted and ignored: no model of Easel's has these controls.
  output_compression: integer.optional(),
  background: z.enum(["auto", "transparent", "opaque"]).optional(),
  moderation: z.enum(["auto", "low"]).optional(),
  style: z.enum(["vivid", "natural"]).optional(),
  user: z.string().optional(),
  input_fidelity: z.enum(["low", "high"]).optional(),
  partial_images: integer.optional(),
  stream: flag.optional(),
});

export type OpenAiImageBody = z.infer<typeof openAiImageBodySchema>;

export type OpenAiImageRequest = {
  input: GenerationInput;
  responseFormat: "b64_json" | "url";
  /** The quality to report back: the one used, or "auto" for a model without the setting. */
  quality: Quality | "auto";
};

const QUALITY: Record<NonNullable<OpenAiImageBody["quality"]>, Quality | "default"> = {
  auto: "default",
  low: "low",
  medium: "medium",
  high: "high",
  standard: "medium",
  hd: "high",
};

/** Reads a body already parsed from JSON or from multipart fields; throws a 400 naming the problem. */
export function readOpenAiImageBody(body: unknown, kind: Endpoint): OpenAiImageRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidInput("invalid_json", "The request body must be a JSON object.");
  }
  const parsed = openAiImageBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") {
      throw invalidInput("unknown_parameter", `Unknown parameter: '${issue.keys[0]}'.`, issue.keys[0]);
    }
    const param = issue.path.map(String).join(".");
    throw invalidInput("invalid_parameter", `Invalid value for '${param}': ${issue.message}.`, param);
  }
  const request = parsed.data;
  if (request.stream) {
    throw invalidInput("streaming_unsupported", "Streaming image generation is not supported yet: send stream=false.", "stream");
  }

  const modelId = request.model ?? (kind === "edit" ? DEFAULT_EDIT_MODEL : DEFAULT_MODEL);
  const model = findModel(modelId);
  if (!model) {
    // Unknown to the checker too, which answers with the list of models; a model is never swapped.
    return { input: { model: modelId, prompt: request.prompt }, responseFormat: request.response_format ?? "b64_json", quality: "auto" };
  }

  const quality = qualityFor(model, request.quality);
  return {
    input: {
      model: model.id,
      prompt: request.prompt,
      n: request.n,
      size: sizeFor(model, request.size),
      quality: quality === "auto" ? undefined : quality,
    },
    responseFormat: request.response_format ?? "b64_json",
    quality,
  };
}

function qualityFor(model: ImageModel, requested: OpenAiImageBody["quality"]): Quality | "auto" {
  if (model.pricing.mode !== "per_quality") return "auto"; // the model has no quality setting
  const mapped = QUALITY[requested ?? "auto"];
  return mapped === "default" ? model.pricing.defaultQuality : mapped;
}

/** `auto` or absent is the model's default; `WxH` the nearest size it takes, or a 400. */
function sizeFor(model: ImageModel, size: string | undefined): string | undefined {
  if (size === undefined || size === "auto") return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size.trim().toLowerCase());
  if (!match) return size; // an aspect ratio ("16:9") or Easel's own names: the checker decides
  const nearest = nearestSize(Number(match[1]), Number(match[2]), model.sizes, model.customSize);
  if (!nearest) {
    const taken = model.sizes.map((s) => `${s.width}x${s.height}`).join(", ");
    throw invalidInput("unsupported_size", `${model.id} cannot make an image near ${size}. It takes ${taken}.`, "size");
  }
  return nearest.size;
}

export const openAiImageSchema = z
  .object({
    b64_json: z.string().optional().meta({ description: "The image, base64-encoded (response_format b64_json, the default)." }),
    url: z.url().optional().meta({ description: "A signed Easel URL of the image, valid for a limited time (response_format url)." }),
  })
  .meta({ id: "OpenAIImage" });

export const openAiImagesResponseSchema = z
  .object({
    created: z.int().meta({ description: "Unix seconds when the job was created." }),
    data: z.array(openAiImageSchema),
    size: z.string().meta({ description: "The size of the images made, WIDTHxHEIGHT." }),
    quality: z.enum(["low", "medium", "high", "auto"]),
    output_format: z.enum(["png", "jpeg", "webp", "svg"]),
    easel: z
      .object({ job_id: z.string(), model: z.string(), charged_amount: z.number(), provider: z.string().nullable() })
      .meta({ description: "Easel's own account of the request: the job (GET /v1/jobs/{id}) and what it cost in USD." }),
  })
  .meta({ id: "OpenAIImagesResponse" });

export type OpenAiImagesResponse = z.output<typeof openAiImagesResponseSchema>;

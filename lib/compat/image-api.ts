// The synchronous image API other gateways offer (POST /api/v1/image/generate and /edit), read
// into Easel's own generation request: `width`/`height` or `aspect_ratio` for the size,
// `num_images` for n, `image_size` 1K/2K. Imagen models answer base64 with a MIME type, the
// others URLs — as that API does. Models it names that Easel does not serve are refused with
// the list of those it does, never swapped for another.
import "server-only";
import * as z from "zod";
import { findModel, MODELS, nearestSize, type ImageModel } from "@/lib/catalog";
import type { Job } from "@/db/schema";
import { invalidInput } from "@/lib/errors";
import { checkGenerationRequest, type Endpoint, type GenerationRequest } from "@/lib/jobs/generation-check";
import { toUsd } from "@/lib/money";
import { jobOutputs } from "./job-outputs";

const side = z.int().min(256).max(2048);
const common = {
  prompt: z.string().meta({ description: "Required: what to draw, or the edit instruction." }),
  model: z.string().optional(),
  width: side.optional().meta({ description: "Width in pixels, 256–2048 (with height)." }),
  height: side.optional().meta({ description: "Height in pixels, 256–2048 (with width)." }),
  aspect_ratio: z.enum(["1:1", "3:4", "4:3", "9:16", "16:9"]).optional(),
  num_images: z.int().min(1).max(4).optional(),
  image_size: z.enum(["1K", "2K"]).optional().meta({ description: "2K: the ~4 MP sizes of the -pro models." }),
  seed: z.int().min(0).max(4_294_967_295).optional(),
};

export const imageGenerateBodySchema = z
  .strictObject({ ...common, model: common.model.meta({ description: "A model id from GET /v1/models.", default: "flux-2-pro" }) })
  .meta({ id: "ImageApiGenerateRequest", example: { prompt: "a lighthouse at dusk", model: "flux-2-pro", width: 1920, height: 1080 } });

export const imageEditBodySchema = z
  .strictObject({
    ...common,
    model: common.model.meta({ description: "A model id from GET /v1/models that edits.", default: "flux-kontext-pro" }),
    image_url: z.string().meta({ description: "Required: the https URL of the image to edit (or a URL from POST /v1/uploads)." }),
  })
  .meta({ id: "ImageApiEditRequest" });

const imageApiImageSchema = z.object({
  url: z.url().optional().meta({ description: "A signed URL of the image (non-Imagen models)." }),
  base64: z.string().optional().meta({ description: "The image, base64-encoded (Imagen models)." }),
  mimeType: z.string().optional().meta({ description: "The image's type, with base64." }),
  width: z.int(),
  height: z.int(),
});

export const imageApiResponseSchema = z
  .object({
    id: z.string().meta({ description: "The Easel job (GET /v1/jobs/{id})." }),
    model: z.string(),
    created: z.int(),
    images: z.array(imageApiImageSchema),
    cost: z.number().meta({ description: "USD charged." }),
  })
  .meta({ id: "ImageApiResponse" });

export type ImageApiResponse = z.output<typeof imageApiResponseSchema>;

const DEFAULTS: Record<Endpoint, string> = { generation: "flux-2-pro", edit: "flux-kontext-pro" };

/** Reads a body of POST /api/v1/image/generate (`generation`) or /edit; throws a 400 naming the problem. */
export function imageApiRequest(body: unknown, kind: Endpoint): GenerationRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidInput("invalid_json", "The request body must be a JSON object.");
  const parsed = (kind === "edit" ? imageEditBodySchema : imageGenerateBodySchema).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") throw invalidInput("unknown_parameter", `Unknown parameter "${issue.keys[0]}".`, issue.keys[0]);
    const param = issue.path.map(String).join(".");
    if (param === "prompt") throw invalidInput("prompt_required", "A non-empty prompt is required.", "prompt");
    if (param === "image_url") throw invalidInput("image_url_required", "An edit needs the image to edit: pass image_url.", "image_url");
    throw invalidInput("invalid_parameter", `${param}: ${issue.message}`, param);
  }
  const input = parsed.data as z.output<typeof imageEditBodySchema>;
  const modelId = input.model ?? DEFAULTS[kind];
  const model = findModel(modelId);
  if (!model) {
    throw invalidInput("unknown_model", `There is no model "${modelId.slice(0, 100)}". Models: ${MODELS.map((m) => m.id).join(", ")}.`, "model");
  }
  return checkGenerationRequest(
    {
      model: model.id,
      prompt: input.prompt,
      size: sizeOf(model, input),
      n: input.num_images,
      seed: input.seed,
      image_url: kind === "edit" ? input.image_url : undefined,
    },
    kind,
  );
}

function sizeOf(model: ImageModel, input: { width?: number; height?: number; aspect_ratio?: string; image_size?: "1K" | "2K" }): string | undefined {
  const highResolution = model.capabilities.includes("high_resolution");
  if (input.image_size === "2K" && !highResolution) {
    throw invalidInput("unsupported_size", `${model.id} makes ~1 MP images; image_size 2K needs a -pro model.`, "image_size");
  }
  if ((input.width === undefined) !== (input.height === undefined)) {
    throw invalidInput("invalid_parameter", "Send width and height together.", input.width === undefined ? "width" : "height");
  }
  if (input.width !== undefined && input.height !== undefined) {
    const size = nearestSize(input.width, input.height, model.sizes, model.customSize);
    if (!size) throw invalidInput("unsupported_size", `${model.id} cannot make an image near ${input.width}x${input.height}.`, "width");
    return size.size;
  }
  return input.aspect_ratio;
}

const answersBase64 = (modelId: string) => modelId.startsWith("imagen-");

/** A succeeded job as that API answers: URLs, or base64 and a MIME type for Imagen models. */
export async function imageApiResponse(job: Job, origin: string): Promise<ImageApiResponse> {
  const inline = answersBase64(job.model);
  const outputs = await jobOutputs(job, origin, { withBytes: inline });
  return {
    id: job.id,
    model: job.model,
    created: Math.floor(job.createdAt.getTime() / 1000),
    images: outputs.map((output) =>
      inline
        ? { base64: output.bytes!.toString("base64"), mimeType: output.contentType, width: output.width, height: output.height }
        : { url: output.url, width: output.width, height: output.height },
    ),
    cost: toUsd(job.chargedMicros ?? 0n),
  };
}

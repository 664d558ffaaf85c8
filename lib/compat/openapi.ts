// The synchronous surfaces in the OpenAPI document: the OpenAI Images API under /openai/v1 and
// the image API under /api/v1/image. Merged into the document by lib/http/openapi.ts when it
// builds.
import * as z from "zod";
import type { ErrorCode } from "@/lib/http/error-codes";
import { FALLBACK_HEADERS, HEADERS, type Operation, type Operations } from "@/lib/http/openapi-operation";
import { GENERATION_ERRORS } from "@/lib/jobs/openapi";
import { imageApiResponseSchema, imageEditBodySchema, imageGenerateBodySchema } from "./image-api";
import { openAiImageBodySchema, openAiImagesResponseSchema } from "./openai-images";
import { openAiModelListSchema, openAiModelPathSchema, openAiModelSchema } from "./openai-models";

/** What a synchronous request can end in besides its images: the job's failure, or the wait's end. */
const syncErrors = (): ErrorCode[] => [
  ...GENERATION_ERRORS,
  "insufficient_credits",
  "key_budget_exceeded",
  "concurrency_limited",
  "content_policy_violation",
  "upstream_rejected_input",
  "job_canceled",
  "job_failed",
  "job_expired",
  "job_timeout",
];

const imagesAnswer = (schema: z.ZodType): Operation["ok"] => ({
  200: {
    description: "The job has succeeded: its images. `x-should-retry: false` is on every error that followed a job.",
    schema,
    headers: { "X-Easel-Job-Id": HEADERS.jobId, ...FALLBACK_HEADERS },
  },
});

const idempotency = z.object({
  "Idempotency-Key": z.string().optional().meta({ description: "The same key always returns the same job: a retry waits for it instead of paying twice." }),
});

const editForm = () =>
  openAiImageBodySchema
  .extend({
    image: z.string().meta({ format: "binary", description: "The image to edit; or several as `image[]` (up to 16)." }),
    mask: z.string().optional().meta({ format: "binary", description: "Accepted, not applied: Easel's models edit the whole image." }),
  })
  .meta({ id: "OpenAIImageEditRequest" });

export const compatOperations = (): Operations => ({
  "/openai/v1/images/generations": {
    post: {
      operationId: "openaiCreateImage",
      tag: "OpenAI compatible",
      summary: "Generate images (OpenAI Images API)",
      description:
        "The OpenAI Images API, so the official `openai` SDK works unchanged with `baseURL` set to `https://<this server>/openai/v1`. The same keys, credit and jobs as /v1 (the job shows in the gallery); the answer comes when the job ends (at most `EASEL_SYNC_WAIT_S`, 300 s). `size` `auto` or `WxH` is mapped to the nearest size the model takes (a size it cannot approach is a 400); `quality` standard → medium, hd → high, auto → the model's default; `user`, `style`, `moderation`, `background`, `output_compression` are accepted and ignored where the model has no such control; `stream: true` is refused.",
      auth: true,
      writes: true,
      requestHeaders: idempotency,
      body: { schema: openAiImageBodySchema.meta({ id: "OpenAIImageRequest" }) },
      ok: imagesAnswer(openAiImagesResponseSchema),
      errors: [...syncErrors(), "streaming_unsupported"],
    },
  },
  "/openai/v1/images/edits": {
    post: {
      operationId: "openaiEditImage",
      tag: "OpenAI compatible",
      summary: "Edit images (OpenAI Images API)",
      description:
        "As POST /openai/v1/images/generations, as multipart/form-data (numbers as strings): `image` or `image[]` (up to 16 files, stored as the account's uploads and used as references), `mask` (accepted, not applied). The default model is flux-kontext-pro.",
      auth: true,
      writes: true,
      requestHeaders: idempotency,
      body: { schema: editForm(), contentType: "multipart/form-data" },
      ok: imagesAnswer(openAiImagesResponseSchema),
      errors: [...syncErrors(), "streaming_unsupported", "invalid_multipart", "unsupported_file_type", "image_too_large", "upload_quota_exceeded", "unsupported_media_type"],
    },
  },
  "/openai/v1/models": {
    get: {
      operationId: "openaiListModels",
      tag: "OpenAI compatible",
      summary: "List models (OpenAI API)",
      description: "The catalogue as the OpenAI API lists models.",
      auth: true,
      ok: { 200: { description: "The models.", schema: openAiModelListSchema } },
    },
  },
  "/openai/v1/models/{id}": {
    get: {
      operationId: "openaiGetModel",
      tag: "OpenAI compatible",
      summary: "Get a model (OpenAI API)",
      description: "One model, as the OpenAI API shows it.",
      auth: true,
      path: openAiModelPathSchema,
      ok: { 200: { description: "The model.", schema: openAiModelSchema } },
      errors: ["model_not_found"],
    },
  },
  "/api/v1/image/generate": {
    post: {
      operationId: "imageApiGenerate",
      tag: "Image API",
      summary: "Generate images, synchronously",
      description:
        "The synchronous image API of other gateways: `width`/`height` (256–2048) or `aspect_ratio`, `num_images` (1–4), `image_size` (1K, or 2K for the -pro models), `seed`; the default model is flux-2-pro. Imagen models answer `base64` and `mimeType`, the others a signed `url`. A model Easel does not serve is refused (`unknown_model`) with the list of those it does.",
      auth: true,
      writes: true,
      body: { schema: imageGenerateBodySchema },
      ok: imagesAnswer(imageApiResponseSchema),
      errors: syncErrors(),
    },
  },
  "/api/v1/image/edit": {
    post: {
      operationId: "imageApiEdit",
      tag: "Image API",
      summary: "Edit an image, synchronously",
      description: "As POST /api/v1/image/generate, with `image_url` required; the default model is flux-kontext-pro.",
      auth: true,
      writes: true,
      body: { schema: imageEditBodySchema },
      ok: imagesAnswer(imageApiResponseSchema),
      errors: syncErrors(),
    },
  },
});

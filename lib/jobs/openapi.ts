// The image and job endpoints of the OpenAPI document, merged into it by lib/http/openapi.ts.
import * as z from "zod";
import type { ErrorCode } from "@/lib/http/error-codes";
import { FALLBACK_HEADERS, HEADERS, type Operation, type Operations } from "@/lib/http/openapi-operation";
import { generationBodySchema, jobIdPathSchema, jobListQuerySchema, jobListSchema, jobObjectSchema } from "./schemas";

/** What a generation body may be refused for, wherever one is validated. */
export const GENERATION_ERRORS: ErrorCode[] = [
  "invalid_json",
  "unknown_parameter",
  "invalid_parameter",
  "prompt_required",
  "prompt_too_long",
  "unknown_model",
  "not_multimodal",
  "image_url_required",
  "too_many_references",
  "invalid_image_url",
  "unsupported_size",
  "unsupported_quality",
  "n_out_of_range",
  "payload_too_large",
  "invalid_webhook_url",
];

const idempotencyHeader = z.object({
  "Idempotency-Key": z
    .string()
    .optional()
    .meta({ description: "Makes retries safe: the same key always returns the same job. Same as the body's idempotency_key." }),
  Prefer: z
    .string()
    .optional()
    .meta({
      description:
        "`wait` or `wait=N` (seconds, at most 300; default 60): answer when the job has ended (200 with `Preference-Applied: wait`), or as usual (202) if it has not within N seconds. The wait holds no resources of yours but the connection.",
      example: "wait=30",
    }),
});

const submitted = (what: string): Operation["ok"] => ({
  202: {
    description: `${what} accepted: its estimate is held and it is queued (or, with \`Prefer: wait\`, it had not ended in time).`,
    schema: jobObjectSchema,
    headers: { Location: HEADERS.location, ...FALLBACK_HEADERS },
  },
  200: {
    description:
      "With `Prefer: wait`: the job has ended, and this is its final state (`Preference-Applied: wait`). Or a retry with an idempotency key already used for this same request: the job it created, as it is now (`Idempotent-Replayed: true`).",
    schema: jobObjectSchema,
    headers: {
      Location: HEADERS.location,
      "Idempotent-Replayed": HEADERS.replayed.optional(),
      "Preference-Applied": HEADERS.preferenceApplied.optional(),
      ...FALLBACK_HEADERS,
    },
  },
});

const submitErrors: ErrorCode[] = [
  ...GENERATION_ERRORS,
  "idempotency_key_mismatch",
  "insufficient_credits",
  "key_budget_exceeded",
  "idempotency_key_reused",
  "concurrency_limited",
];

export const JOB_OPERATIONS: Operations = {
  "/v1/images/generations": {
    post: {
      operationId: "createGeneration",
      tag: "Images",
      summary: "Generate images",
      description: "Validates and prices the request, holds its estimate and queues a job. Poll GET /v1/jobs/{id} until it ends.",
      auth: true,
      writes: true,
      requestHeaders: idempotencyHeader,
      body: { schema: generationBodySchema },
      ok: submitted("The job was"),
      errors: submitErrors,
    },
  },
  "/v1/images/edits": {
    post: {
      operationId: "createEdit",
      tag: "Images",
      summary: "Edit an image",
      description: "As POST /v1/images/generations, with image_url (or image_urls) required. The default model is flux-kontext-pro.",
      auth: true,
      writes: true,
      requestHeaders: idempotencyHeader,
      body: { schema: generationBodySchema },
      ok: submitted("The edit was"),
      errors: submitErrors,
    },
  },
  "/v1/jobs": {
    get: {
      operationId: "listJobs",
      tag: "Jobs",
      summary: "List jobs",
      description: "The caller's jobs, newest first, a page at a time. Unknown query parameters are ignored.",
      auth: true,
      query: jobListQuerySchema,
      ok: { 200: { description: "A page of jobs.", schema: jobListSchema } },
      errors: ["invalid_parameter", "unknown_model", "invalid_cursor"],
    },
  },
  "/v1/jobs/{id}": {
    get: {
      operationId: "getJob",
      tag: "Jobs",
      summary: "Get a job",
      description: "One of the caller's jobs, its images with fresh signed URLs. Anyone else's job is not found.",
      auth: true,
      path: jobIdPathSchema,
      ok: { 200: { description: "The job.", schema: jobObjectSchema, headers: FALLBACK_HEADERS } },
      errors: ["job_not_found"],
    },
  },
  "/v1/jobs/{id}/cancel": {
    post: {
      operationId: "cancelJob",
      tag: "Jobs",
      summary: "Cancel a job",
      description: "Cancels a queued or processing job and releases its whole hold.",
      auth: true,
      writes: true,
      path: jobIdPathSchema,
      ok: { 200: { description: "The job, canceled, charged nothing.", schema: jobObjectSchema } },
      errors: ["job_not_found", "job_not_cancelable"],
    },
  },
};

// The job's shapes on the wire, in zod: what POST /v1/images/generations and /edits accept, what
// GET /v1/jobs filters on, and the job object every job endpoint answers with. The request
// schemas are the ones that validate; serialize.ts is typed by the response schemas; the OpenAPI
// document (lib/http/openapi.ts) is generated from both. Server only: the composer imports types.
import * as z from "zod";
import { JOB_WEBHOOK_FILTERS } from "@/lib/webhooks/events";
import { MODELS, QUALITIES, findModel, type Tier } from "@/lib/catalog";
import { MODEL_TIERS } from "@/lib/catalog/present";
import { isJobId } from "./job-id";

export const JOB_STATUSES = ["queued", "processing", "succeeded", "failed", "expired", "canceled"] as const;
export const JOB_KINDS = ["generation", "edit"] as const;

/** The parameters a job was accepted with, normalised: stored in jobs.params and echoed back. */
export const jobParamsSchema = z
  .object({
    size: z.string().meta({ description: "The size asked for, as the model names it.", example: "16:9" }),
    width: z.int().meta({ description: "Width in pixels the size resolves to.", example: 1344 }),
    height: z.int().meta({ description: "Height in pixels the size resolves to.", example: 768 }),
    n: z.int().min(1).max(4).meta({ description: "How many images.", example: 1 }),
    quality: z.enum(QUALITIES as readonly ["low", "medium", "high"]).optional().meta({ description: "gpt-image-2 only." }),
    image_urls: z.array(z.url()).optional().meta({ description: "Reference images, in the order given." }),
    seed: z.int().optional(),
  })
  .meta({ id: "JobParams" });

export type JobParams = z.output<typeof jobParamsSchema>;

const timestamp = z.iso.datetime();

export const jobImageSchema = z
  .object({
    url: z.url().meta({ description: "A signed URL of the image, valid for a limited time." }),
    width: z.int(),
    height: z.int(),
    content_type: z.string().meta({ example: "image/png" }),
    thumbnail_url: z.url().meta({ description: "A signed URL of a small WebP preview." }),
  })
  .meta({ id: "JobImage" });

export const jobObjectSchema = z
  .object({
    id: z.string().meta({ example: "job_01jd7k3m9x2c4v6b8n0p2r4t6w" }),
    object: z.literal("image.job"),
    status: z.enum(JOB_STATUSES),
    queue_position: z
      .int()
      .nullable()
      .meta({ description: "For a queued job, its place in the queue (1 is next) when known; null otherwise." }),
    kind: z.enum(JOB_KINDS),
    model: z.string().meta({ example: "recraft-v4" }),
    prompt: z.string(),
    params: jobParamsSchema,
    estimated_cost: z.number().meta({ description: "USD held when the job was accepted." }),
    charged_amount: z.number().nullable().meta({ description: "USD charged; null until the job ends (0 unless it succeeded)." }),
    released_amount: z.number().nullable().meta({ description: "USD returned to the balance: the estimate less the charge, once ended." }),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    completed_at: timestamp.nullable(),
    images: z.array(jobImageSchema),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    provider: z.string().nullable(),
    fallback_layer: z.int().nullable().meta({ description: "0 for the model's first provider, 1 for the first fallback, …" }),
    urls: z
      .object({
        get: z.string().meta({ description: "This job.", example: "/v1/jobs/job_01jd7k3m9x2c4v6b8n0p2r4t6w" }),
        cancel: z.string().meta({ description: "POST here to cancel it while it is queued or running." }),
      })
      .meta({ description: "Where to read and cancel the job, relative to this server." }),
    upstream_request_id: z
      .string()
      .nullable()
      .meta({ description: "The upstream's own id for the request that served (or last failed) the job; several comma-separated when it took several." }),
  })
  .meta({ id: "Job" });

export type JobObject = z.output<typeof jobObjectSchema>;
export type JobImageView = z.output<typeof jobImageSchema>;

export const jobListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(jobObjectSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last one." }),
  })
  .meta({ id: "JobList" });

export type JobList = z.output<typeof jobListSchema>;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** A limit in a query string: an integer from 1 to `max`. */
export const pageLimit = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, { error: `limit must be an integer from 1 to ${max}.` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `limit must be an integer from 1 to ${max}.` })
    .optional()
    .transform((n) => n ?? fallback)
    .meta({ description: `Page size, 1–${max}.`, default: String(fallback) });

/** GET /v1/jobs?limit=&status=&model=&tier=&cursor= */
export const jobListQuerySchema = z.object({
  limit: pageLimit(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  status: z.enum(JOB_STATUSES, { error: `status must be one of ${JOB_STATUSES.join(", ")}.` }).optional(),
  model: z
    .string()
    .refine((id) => findModel(id) !== undefined, { error: (issue) => `There is no model "${String(issue.input).slice(0, 100)}".`, params: { code: "unknown_model" } })
    .optional()
    .meta({ description: "Only jobs of this model." }),
  tier: z
    .enum(MODEL_TIERS as readonly ["quality", "fast", "cheap"], { error: `tier must be one of ${MODEL_TIERS.join(", ")}.` })
    .optional()
    .meta({ description: "Only jobs of models of this tier." }),
  cursor: z
    .string()
    .refine(isJobId, { error: "cursor must be the next_cursor of a previous page.", params: { code: "invalid_cursor" } })
    .optional()
    .meta({ description: "The next_cursor of the previous page." }),
});

export type JobListQuery = z.output<typeof jobListQuerySchema>;

/** The listing filter a query asks for: a tier is the models of that tier. */
export function jobListFilter(query: JobListQuery) {
  const { tier, ...rest } = query;
  const models = tier === undefined ? undefined : MODELS.filter((m) => m.tier === (tier as Tier)).map((m) => m.id);
  return { ...rest, models };
}

export const jobIdPathSchema = z.object({
  id: z.string().meta({ description: "The job's id.", example: "job_01jd7k3m9x2c4v6b8n0p2r4t6w" }),
});

/**
 * A generation or edit body, typed. Fields may be null, meaning absent; unknown fields are
 * refused (`unknown_parameter`). The catalogue's rules come after, in generation-check.ts.
 */
export const generationBodySchema = z
  .strictObject({
    model: z.string().nullish().meta({ description: "A model id from GET /v1/models.", default: "recraft-v4" }),
    prompt: z.string().nullish().meta({ description: "Required. At most the model's max_prompt_length characters after NFC normalisation." }),
    size: z.string().nullish().meta({ description: 'An aspect ratio ("16:9") or WIDTHxHEIGHT where the model allows it.' }),
    n: z.int().nullish().meta({ description: "How many images, 1 to the model's max_n (4).", default: 1 }),
    quality: z.string().nullish().meta({ description: "low, medium or high; gpt-image-2 only (default medium)." }),
    image_url: z.string().nullish().meta({ description: "An https URL of a reference image (or a URL from POST /v1/uploads)." }),
    image_urls: z.array(z.string()).nullish().meta({ description: "Up to 10 reference images; the first 6 are high-fidelity." }),
    seed: z.int().min(0).max(4_294_967_295).nullish(),
    // Printable: a key is echoed in logs and stored as text, where control characters do not belong.
    idempotency_key: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\u0000-\u001f\u007f]+$/)
      .nullish()
      .meta({ description: "The same key always returns the same job; also accepted as the Idempotency-Key header." }),
    webhook_url: z.string().nullish().meta({ description: "An https URL to receive this job's events, signed as Standard Webhooks." }),
    webhook_events_filter: z
      .array(z.enum(JOB_WEBHOOK_FILTERS))
      .nullish()
      .meta({ description: "Which of this job's events go to webhook_url: started, completed (default: both)." }),
  })
  .meta({ id: "GenerationRequest", example: { model: "recraft-v4", prompt: "a lighthouse at dusk, oil painting", size: "16:9", n: 1 } });

export type GenerationBody = z.output<typeof generationBodySchema>;

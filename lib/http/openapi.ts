// The OpenAPI 3.1 document of /v1, generated with zod-openapi from the very schemas that validate
// the requests and type the answers (lib/*/schemas.ts), and the error codes of error-codes.ts.
// Served at GET /v1/openapi.json, rendered at /docs, turned into the dashboard's client types
// (`npm run openapi:types`), and the route tests check every answer against it.
import * as z from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import {
  balanceSchema,
  ledgerFilterQuerySchema,
  ledgerPageQuerySchema,
  ledgerPageSchema,
  tierListSchema,
  updateBalanceSettingsSchema,
  usageQuerySchema,
  usageSchema,
} from "@/lib/billing/schemas";
import { estimateSchema, modelListSchema, modelPathSchema, modelSchema, modelsQuerySchema, pricingListSchema } from "@/lib/catalog/schemas";
import { generationBodySchema, jobIdPathSchema, jobListQuerySchema, jobListSchema, jobObjectSchema } from "@/lib/jobs/schemas";
import { fileObjectSchema, fileQuerySchema, uploadBodySchema } from "@/lib/storage/schemas";
import { compatOperations } from "@/lib/compat/openapi";
import { KEY_OPERATIONS } from "@/lib/keys/openapi";
import { WEBHOOK_OPERATIONS } from "@/lib/webhooks/openapi";
import type { ErrorCode } from "./error-codes";
import { FALLBACK_HEADERS, HEADERS, operation, type Operation } from "./openapi-operation";

export { FALLBACK_HEADERS, HEADERS, type Operation } from "./openapi-operation";


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

export type Method = "get" | "post" | "patch" | "delete";
export type Operations = Record<string, Partial<Record<Method, Operation>>>;

/** Every endpoint, by path and method: these, and those of the modules listed in `build`. */
export const OPERATIONS: Operations = {
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
  "/v1/models": {
    get: {
      operationId: "listModels",
      tag: "Catalogue",
      summary: "List models",
      description: "The catalogue, optionally filtered. Public; cacheable for 60 s. Unknown query parameters are ignored.",
      auth: false,
      query: modelsQuerySchema,
      ok: { 200: { description: "The models.", schema: modelListSchema } },
      errors: ["invalid_parameter"],
    },
  },
  "/v1/models/{id}": {
    get: {
      operationId: "getModel",
      tag: "Catalogue",
      summary: "Get a model",
      description: "One model of the catalogue, as GET /v1/models lists it. Public; cacheable for 60 s.",
      auth: false,
      path: modelPathSchema,
      ok: { 200: { description: "The model.", schema: modelSchema } },
      errors: [{ code: "unknown_model", status: 404 }],
    },
  },
  "/v1/pricing": {
    get: {
      operationId: "listPricing",
      tag: "Catalogue",
      summary: "List prices",
      description: "Every model's list price, markup included. Public; cacheable for 60 s.",
      auth: false,
      ok: { 200: { description: "The prices.", schema: pricingListSchema } },
    },
  },
  "/v1/credits/pricing": {
    get: {
      operationId: "listPricingLegacy",
      tag: "Catalogue",
      summary: "List prices (older name)",
      description: "The same as GET /v1/pricing, under the name older clients use. New code should call GET /v1/pricing.",
      deprecated: true,
      auth: false,
      ok: { 200: { description: "The prices.", schema: pricingListSchema } },
    },
  },
  "/v1/pricing/estimate": {
    post: {
      operationId: "estimateCost",
      tag: "Catalogue",
      summary: "Estimate a cost",
      description: "What a generation body would cost, validated exactly as a submit, creating nothing. Public.",
      auth: false,
      body: { schema: generationBodySchema },
      ok: { 200: { description: "The estimate.", schema: estimateSchema } },
      errors: GENERATION_ERRORS,
    },
  },
  "/v1/limits/tiers": {
    get: {
      operationId: "listTiers",
      tag: "Account",
      summary: "List usage tiers",
      description: "The tier matrix: lifetime deposits set the tier, the tier sets the limits. Public; cacheable for 300 s.",
      auth: false,
      ok: { 200: { description: "The tiers.", schema: tierListSchema } },
    },
  },
  "/v1/balance": {
    get: {
      operationId: "getBalance",
      tag: "Account",
      summary: "Get the balance",
      description: "Balance, held and available credit, lifetime deposits and tier.",
      auth: true,
      ok: { 200: { description: "The balance.", schema: balanceSchema } },
    },
    patch: {
      operationId: "updateBalanceSettings",
      tag: "Account",
      summary: "Set the low-balance alert",
      description:
        "Sets the threshold: when a charge leaves available credit below it, one `balance.low` webhook event and one email, then none until credit has been back at or above it. null turns it off.",
      auth: true,
      writes: true,
      body: { schema: updateBalanceSettingsSchema },
      ok: { 200: { description: "The balance, with the new threshold.", schema: balanceSchema } },
      errors: ["invalid_json", "unknown_parameter", "invalid_parameter", "payload_too_large"],
    },
  },
  "/v1/ledger": {
    get: {
      operationId: "listLedgerEntries",
      tag: "Account",
      summary: "List ledger entries",
      description: "Every movement of money, newest first: holds, charges, releases, top-ups, adjustments. Empty and unknown query parameters are ignored.",
      auth: true,
      query: ledgerPageQuerySchema,
      ok: { 200: { description: "A page of entries.", schema: ledgerPageSchema } },
      errors: ["invalid_parameter", "invalid_cursor"],
    },
  },
  "/v1/ledger/export": {
    get: {
      operationId: "exportLedger",
      tag: "Account",
      summary: "Export the ledger as CSV",
      description: "The entries the same filters select, as a CSV file, streamed. A failure part way aborts the transfer rather than end a partial file.",
      auth: true,
      query: ledgerFilterQuerySchema,
      ok: {
        200: {
          description: "The CSV file: id, created_at, type, amount_usd, balance_after_usd, held_after_usd, job_id, model, payment_ref, description.",
          schema: z.string(),
          contentType: "text/csv",
          headers: { "Content-Disposition": z.string().meta({ description: "attachment; filename=…", example: 'attachment; filename="easel-ledger.csv"' }) },
        },
      },
      errors: ["invalid_parameter"],
    },
  },
  "/v1/usage": {
    get: {
      operationId: "getUsage",
      tag: "Account",
      summary: "Get daily usage",
      description: "Spend per UTC day by model, and the balance at the end of each day.",
      auth: true,
      query: usageQuerySchema,
      ok: { 200: { description: "Usage per day, oldest first.", schema: usageSchema } },
      errors: ["invalid_parameter"],
    },
  },
  "/v1/uploads": {
    post: {
      operationId: "uploadFile",
      tag: "Files",
      summary: "Upload a reference image",
      description: "Stores a PNG, JPEG or WebP image (at most 20 MB) and returns a signed URL usable as image_url.",
      auth: true,
      writes: true,
      body: { schema: uploadBodySchema, contentType: "multipart/form-data" },
      ok: { 201: { description: "The stored file.", schema: fileObjectSchema } },
      errors: ["unsupported_media_type", "invalid_multipart", "file_required", "unsupported_file_type", "image_too_large", "upload_quota_exceeded", "payload_too_large"],
    },
  },
  "/v1/files/{id}": {
    get: {
      operationId: "getFile",
      tag: "Files",
      summary: "Download a file",
      description: "A generated or uploaded file through its signed URL (as found in a job or an upload). The signature is the credential. Streamed by the app, or, with presigned file URLs, a redirect to the bucket.",
      auth: false,
      path: z.object({ id: z.string().meta({ description: "The file's id.", example: "file_01jd7k3m9x2c4v6b8n0p2r4t6w" }) }),
      query: fileQuerySchema,
      ok: {
        200: {
          description: "The image (PNG, JPEG, WebP or SVG; the thumbnail variant is WebP).",
          schema: z.string().meta({ format: "binary" }),
          contentType: "image/*",
          headers: { "Content-Disposition": z.string().meta({ description: "inline, or attachment with ?download." }) },
        },
        302: {
          description: "With presigned file URLs (EASEL_FILE_URLS=presigned): the bucket serves the file; follow Location.",
          headers: { Location: z.url().meta({ description: "A presigned URL of the bucket, valid for at least 15 minutes." }) },
        },
      },
      errors: ["invalid_signature", "url_expired", "file_not_found"],
    },
  },
  "/v1/openapi.json": {
    get: {
      operationId: "getOpenApiDocument",
      tag: "Meta",
      summary: "Get this document",
      description: "The OpenAPI 3.1 document of the API. Public.",
      auth: false,
      ok: { 200: { description: "The document.", schema: z.record(z.string(), z.unknown()).meta({ description: "An OpenAPI 3.1 document." }) } },
    },
  },
};

const TAGS = [
  { name: "Images", description: "Create jobs: every request is an asynchronous job whose cost is held when it is accepted." },
  { name: "Jobs", description: "Follow, list and cancel jobs. You are charged only for images delivered, never more than the estimate." },
  { name: "Catalogue", description: "Models and prices. Public." },
  { name: "Account", description: "Balance, ledger, usage and tiers." },
  { name: "Keys", description: "API keys: their scopes, expiry and spend limits." },
  { name: "Files", description: "Reference images in, generated images out, through signed URLs." },
  { name: "Webhooks", description: "Signed events to your endpoints, the delivery log and redelivery." },
  { name: "OpenAI compatible", description: "The OpenAI Images API, synchronous, for the official SDKs: the same keys, credit and jobs." },
  { name: "Image API", description: "The synchronous image API other gateways offer, for their clients." },
  { name: "Meta", description: "This document." },
];

const DESCRIPTION = `One API for many image-generation models, with prepaid credit that is always exact.

Authenticate with \`Authorization: Bearer esk_…\` (create keys in the dashboard). Every error has the shape
\`{"error": {"type", "code", "message", "param"?}}\`; branch on \`code\`. Any other path under /v1 answers 404
\`route_not_found\` in that shape, and a path that is not valid percent-encoded UTF-8 answers 400 \`invalid_path\`.
Query parameters an endpoint does not name are ignored; body fields it does not name are refused (\`unknown_parameter\`). Amounts are USD as JSON numbers with up to 6 decimals. Every answer carries
\`X-Request-Id\`, and \`X-RateLimit-Limit\`, \`-Remaining\` and \`-Reset\` when limits are on.`;

function build() {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const [path, methods] of Object.entries({ ...OPERATIONS, ...KEY_OPERATIONS, ...WEBHOOK_OPERATIONS, ...compatOperations() })) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(op!)]));
  }
  return createDocument({
    openapi: "3.1.0",
    info: { title: "Easel API", version: "1.0.0", description: DESCRIPTION, license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } },
    servers: [{ url: "/", description: "This server" }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key: `Authorization: Bearer esk_…`." },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description: "The dashboard's session, for its own pages: a request that changes anything must carry this site's Origin.",
        },
      },
    },
  });
}

let cached: ReturnType<typeof build> | undefined;

/** The document (built once per process: the schemas do not change while it runs). */
export function openApiDocument() {
  cached ??= build();
  return cached;
}

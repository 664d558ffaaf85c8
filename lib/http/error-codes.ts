// Every error code the API answers with, what it means, and its status: the list the OpenAPI
// document and the docs page show. lib/http/errors.ts decides the status of each product error;
// the route tests check every answer against the document, so a code missing here fails them.
import * as z from "zod";
import { TYPE_BY_STATUS } from "./errors";

export const ERROR_CODES = {
  // 400
  invalid_json: [400, "The body is empty, not JSON, or not a JSON object."],
  unknown_parameter: [400, "The body has a field the endpoint does not take; `param` names it."],
  invalid_parameter: [400, "A field or query parameter has the wrong type or is out of range; `param` names it."],
  invalid_cursor: [400, "`cursor` is not the next_cursor of a previous page."],
  idempotency_key_mismatch: [400, "The Idempotency-Key header and the body's idempotency_key differ."],
  prompt_required: [400, "The prompt is missing or blank."],
  prompt_too_long: [400, "The prompt is longer than the model's max_prompt_length (characters after NFC normalisation)."],
  unknown_model: [400, "No model has this id; GET /v1/models lists them. (404 from GET /v1/models/{id}.)"],
  not_multimodal: [400, "An image was given to a model that takes text only."],
  image_url_required: [400, "An edit, or an edit-only model, needs image_url."],
  too_many_references: [400, "More reference images than the model (or the API, 10) takes."],
  invalid_image_url: [400, "An image URL is not an absolute https URL without credentials."],
  unsupported_size: [400, "The model does not take this size."],
  unsupported_quality: [400, "The model has no quality setting, or the quality is not low, medium or high."],
  n_out_of_range: [400, "n is outside 1 to the model's max_n."],
  invalid_multipart: [400, "The multipart body could not be read."],
  file_required: [400, "The multipart body has no `file` field."],
  unsupported_file_type: [400, "The file is not a PNG, JPEG or WebP image."],
  image_too_large: [400, "The image has more than 40 megapixels; scale it down first."],
  invalid_path: [400, "The path is not valid percent-encoded UTF-8 (any endpoint)."],
  // 401, 402, 403, 404
  invalid_api_key: [401, "No credentials, or an API key that is malformed, unknown, revoked or expired."],
  insufficient_credits: [402, "The estimate is more than the available credit; `required`, `available` and `topup_url` say by how much and where to top up."],
  key_budget_exceeded: [402, "The request would take the API key past its spend limit; `limit`, `spent`, `required`, `period` and `resets_at` say by how much and until when."],
  key_scope: [403, "The API key lacks the scope the request needs (`generate` to create jobs and uploads, `read` to read; `scope` names it), or the request is one only the signed-in owner may make (creating or changing keys)."],
  upload_quota_exceeded: [403, "The account's stored uploads would pass its tier's quota; uploads are deleted a day after they are made."],
  cross_origin_request: [403, "A request authenticated by the session cookie came from another site."],
  invalid_signature: [403, "The file URL's signature does not match."],
  url_expired: [403, "The file URL has expired; read the job again for a fresh one."],
  api_key_not_found: [404, "No live API key with this id exists on the caller's account."],
  job_not_found: [404, "No job with this id exists on the caller's account."],
  file_not_found: [404, "No file with this id exists."],
  route_not_found: [404, "No endpoint at this method and path."],
  model_not_found: [404, "No model has this id (the OpenAI-compatible GET /openai/v1/models/{id}); GET /openai/v1/models lists them."],
  // 409, 413, 415, 422, 429, 500
  job_not_cancelable: [409, "The job has already ended."],
  payload_too_large: [413, "The body (1 MB for JSON, 20 MB for an upload) is too large."],
  unsupported_media_type: [415, "The upload is not multipart/form-data."],
  idempotency_key_reused: [422, "The idempotency key was used before with a different request."],
  rate_limited: [429, "The minute's allowance of the caller's tier is spent; Retry-After says when to try again."],
  concurrency_limited: [429, "As many jobs are queued or running as the tier allows; Retry-After says when to try again."],
  internal_error: [500, "Our fault; quote the X-Request-Id."],
  // Synchronous surfaces (the OpenAI Images API, the image API): the job they waited for.
  // Each carries `job_id` (and `job_error`, the job's own error) and `x-should-retry: false`.
  content_policy_violation: [400, "The upstream's moderation refused the prompt or its images; the job failed and nothing was charged."],
  upstream_rejected_input: [400, "The upstream rejected the request's input; the job failed and nothing was charged."],
  job_canceled: [409, "The job was canceled before it finished; nothing was charged."],
  job_failed: [502, "Every provider of the model failed; nothing was charged."],
  job_expired: [502, "The job ran past its deadline and was expired; nothing was charged."],
  job_timeout: [504, "The job did not finish within the wait; it goes on and is charged if it succeeds (GET /v1/jobs/{id})."],
  streaming_unsupported: [400, "stream=true: streaming image generation is not supported yet."],
  // webhooks
  invalid_webhook_url: [400, "A webhook URL is not an absolute https URL without credentials that reaches a public address; `param` names it."],
  webhook_endpoint_not_found: [404, "No webhook endpoint with this id exists on the caller's account."],
  webhook_delivery_not_found: [404, "No webhook delivery with this id exists on the caller's account."],
  too_many_webhook_endpoints: [409, "The account already has as many webhook endpoints as allowed (20); delete one first."],
  rotation_conflict: [409, "Another request rotated the endpoint's secret at the same moment; rotate again if you need another."],
  webhook_endpoint_disabled: [409, "The endpoint is disabled; enable it (PATCH enabled: true) first."],
  webhook_endpoint_deleted: [409, "The delivery's endpoint was deleted."],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The extra fields of a 402: what it costs, what there is, and where to add credit. */
const insufficientCreditsFields = {
  required: z.number().optional().meta({ description: "USD the request needs (402 insufficient_credits)." }),
  available: z.number().optional().meta({ description: "USD available now (402 insufficient_credits)." }),
  topup_url: z.url().optional().meta({ description: "The billing page of this server (402 insufficient_credits)." }),
  limit: z.number().optional().meta({ description: "USD the key may spend in its period (402 key_budget_exceeded)." }),
  spent: z.number().optional().meta({ description: "USD held or charged through the key in the period (402 key_budget_exceeded)." }),
  period: z.enum(["day", "month", "total"]).optional().meta({ description: "The limit's period: UTC day, UTC month, or in all (402 key_budget_exceeded)." }),
  resets_at: z.iso.datetime().nullable().optional().meta({ description: "When the period's count starts again; null for a limit in all (402 key_budget_exceeded)." }),
};

/** The extra field of a 403 key_scope: the scope the key lacks. */
const keyScopeFields = {
  scope: z.enum(["generate", "read"]).optional().meta({ description: "The scope the key lacks (403 key_scope)." }),
};

/** The error body for one status of one endpoint, its `code` one of those the endpoint answers. */
export function errorBodySchema(status: number, codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return z.object({
    error: z.object({
      type: z.literal(TYPE_BY_STATUS[status] ?? "api_error"),
      code: z.enum(codes),
      message: z.string().meta({ description: "For people; may change. Branch on `code`." }),
      param: z.string().optional().meta({ description: "The parameter the error is about." }),
      ...(status === 402 ? insufficientCreditsFields : {}),
      ...(status === 403 ? keyScopeFields : {}),
    }),
  });
}

/** "`code`: meaning" lines for a response's description. */
export const describeCodes = (codes: readonly ErrorCode[]) => codes.map((code) => `\`${code}\`: ${ERROR_CODES[code][1]}`).join("\n\n");

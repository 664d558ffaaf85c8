import "server-only";
import type { Principal } from "@/lib/auth/api-keys";
import { json } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { ApiError, invalidRequest } from "@/lib/http/errors";
import { createJob } from "./create";
import { parseGenerationRequest, type Endpoint } from "./generation-request";
import { publicOrigin } from "@/lib/http/origin";
import { presentJob } from "./present";
import { serializeJob } from "./serialize";

/**
 * The shared body of POST /v1/images/generations and /v1/images/edits: parse, validate and
 * price, then create the job with its hold. 202 for a new job; 200 with
 * `Idempotent-Replayed: true` for a retry of one.
 */
export async function submitJob(request: Request, principal: Principal, kind: Endpoint): Promise<Response> {
  const body = await readJson(request);
  const parsed = parseGenerationRequest(withIdempotencyHeader(request, body), kind);
  const { job, replayed } = await createJob({ principal, request: parsed }).catch((error: unknown) => {
    throw error instanceof ApiError && error.code === "insufficient_credits" ? withTopUpUrl(error, request) : error;
  });
  const headers: Record<string, string> = { Location: `/v1/jobs/${job.id}` };
  if (replayed) headers["Idempotent-Replayed"] = "true";
  // A replay may be of a finished job: it carries its images like any other read.
  const jobObject = replayed ? await presentJob(job, publicOrigin(request)) : serializeJob(job);
  return json(jobObject, { status: replayed ? 200 : 202, headers });
}

/** A 402 says where to add credit: the billing page of this server. */
function withTopUpUrl(error: ApiError, request: Request): ApiError {
  return new ApiError(error.status, error.code, error.message, {
    details: { ...error.details, topup_url: `${publicOrigin(request)}/billing` },
  });
}

/** The `Idempotency-Key` header is the same as the body's `idempotency_key`; both must agree. */
function withIdempotencyHeader(request: Request, body: unknown): unknown {
  const header = request.headers.get("idempotency-key");
  if (header === null || typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const fromBody = (body as Record<string, unknown>).idempotency_key;
  if (fromBody != null && fromBody !== header) {
    throw invalidRequest(
      "idempotency_key_mismatch",
      "The Idempotency-Key header and the idempotency_key field differ; send one of them.",
      "idempotency_key",
    );
  }
  return { ...body, idempotency_key: header };
}

// What POST /v1/images/generations and /v1/images/edits share: the body, the Idempotency-Key
// and Prefer headers, and the answer — 202 with Location for a new job, 200 with
// Idempotent-Replayed for a retry of one, 200 with Preference-Applied: wait for a job that ended
// within its `Prefer: wait`. Not a route: a helper beside the two that use it.
import type { Principal } from "@/lib/auth/api-keys";
import { reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { invalidRequest } from "@/lib/http/errors";
import { preferredWaitSeconds } from "@/lib/http/prefer";
import { fallbackHeaders } from "@/lib/http/sync-answers";
import type { Endpoint } from "@/lib/jobs/generation-request";
import { jobObjectSchema } from "@/lib/jobs/schemas";
import { submitJob } from "@/lib/jobs/submit";

export async function submit(context: { request: Request; principal: Principal; origin: string }, kind: Endpoint): Promise<Response> {
  const { request, principal, origin } = context;
  const body = withIdempotencyHeader(request.headers.get("idempotency-key"), await readJson(request));
  const wait = preferredWaitSeconds(request.headers.get("prefer"));
  const { job, replayed, ended } = await submitJob({
    principal,
    body,
    kind,
    origin,
    waitMs: wait === undefined ? undefined : wait * 1000,
    signal: request.signal,
  });
  const headers: Record<string, string> = { Location: `/v1/jobs/${job.id}`, ...fallbackHeaders(job) };
  if (replayed) headers["Idempotent-Replayed"] = "true";
  // `Prefer: wait` honoured: the job has ended, and this is its final state.
  if (wait !== undefined && ended) {
    headers["Preference-Applied"] = "wait";
    return reply(jobObjectSchema, job, { status: 200, headers });
  }
  return reply(jobObjectSchema, job, { status: replayed ? 200 : 202, headers });
}

/** The `Idempotency-Key` header is the same as the body's `idempotency_key`; both must agree. */
function withIdempotencyHeader(header: string | null, body: unknown): unknown {
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

import "server-only";
import type { Principal } from "@/lib/auth/api-keys";
import { createJob } from "./create";
import { parseGenerationRequest, type Endpoint } from "./generation-request";
import { presentJob } from "./present";
import { waitForJobEnd } from "./wait";
import type { JobObject } from "./schemas";
import { serializeJob } from "./serialize";

/**
 * What POST /v1/images/generations and /v1/images/edits do with a JSON body: parse, validate
 * and price it, then create the job with its hold (or return the job an idempotency key already
 * made). `origin` is where clients reach this server, for the images' signed URLs. With
 * `waitMs` (the caller's `Prefer: wait`), it waits that long for the job to end — without
 * holding a database connection meanwhile — and says whether it did.
 */
export async function submitJob(input: {
  principal: Principal;
  body: unknown;
  kind: Endpoint;
  origin: string;
  waitMs?: number;
  signal?: AbortSignal;
}): Promise<{ job: JobObject; replayed: boolean; ended: boolean }> {
  const request = parseGenerationRequest(input.body, input.kind);
  const created = await createJob({ principal: input.principal, request });
  let job = created.job;
  if (input.waitMs !== undefined) {
    job = await waitForJobEnd({ accountId: job.accountId, jobId: job.id, timeoutMs: input.waitMs, signal: input.signal });
  }
  const ended = job.status !== "queued" && job.status !== "processing";
  // A replay, or a job waited for, may have ended: it carries its images like any other read.
  const object = created.replayed || input.waitMs !== undefined ? await presentJob(job, input.origin) : serializeJob(job);
  return { job: object, replayed: created.replayed, ended };
}

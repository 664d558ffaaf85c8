import "server-only";
import type { Job } from "@/db/schema";
import type { Principal } from "@/lib/auth/api-keys";
import { JobFailed, JobStillRunning } from "@/lib/errors";
import { createJob } from "@/lib/jobs/create";
import type { GenerationRequest } from "@/lib/jobs/generation-check";
import { waitForJobEnd } from "@/lib/jobs/wait";

// The synchronous surfaces (the OpenAI Images API, the image API) run the same asynchronous
// jobs as /v1: the same hold, the same worker, the same settlement. They only wait for the end.

/** How long a synchronous request waits for its job: `EASEL_SYNC_WAIT_S`, default 300 s. */
export function syncWaitSeconds(): number {
  const value = Number(process.env.EASEL_SYNC_WAIT_S);
  return Number.isFinite(value) && value > 0 ? value : 300;
}

/**
 * Creates the job (or finds the one its idempotency key made) and waits until it has ended.
 * Resolves with the succeeded job; throws `JobFailed` when it ended without images (its hold
 * released), `JobStillRunning` when the wait ran out or the client went away.
 */
export async function runJobToEnd(input: { principal: Principal; request: GenerationRequest; signal?: AbortSignal }): Promise<Job> {
  const { job } = await createJob({ principal: input.principal, request: input.request });
  const seconds = syncWaitSeconds();
  const ended = await waitForJobEnd({ accountId: job.accountId, jobId: job.id, timeoutMs: seconds * 1000, signal: input.signal });
  if (ended.status === "succeeded") return ended;
  if (ended.status === "queued" || ended.status === "processing") throw new JobStillRunning(job.id, seconds);
  throw jobFailure(ended);
}

/** Codes a job's failure keeps when it is the request's own fault; others are `job_failed`. */
const INPUT_FAILURES: Record<string, string> = {
  content_policy_violation: "content_policy_violation",
  invalid_request: "upstream_rejected_input",
  invalid_image_url: "invalid_image_url",
};

function jobFailure(job: Job): JobFailed {
  const jobError = job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? "" } : null;
  if (job.status === "canceled") return new JobFailed(job.id, "job_canceled", "The job was canceled", "canceled", jobError);
  if (job.status === "expired") return new JobFailed(job.id, "job_expired", "The job ran past its deadline", "expired", jobError);
  const inputCode = job.errorCode ? INPUT_FAILURES[job.errorCode] : undefined;
  if (inputCode) return new JobFailed(job.id, inputCode, job.errorMessage ?? "The request was refused", "input", jobError);
  return new JobFailed(job.id, "job_failed", job.errorMessage ? `The job failed: ${job.errorMessage}` : "The job failed", "upstream", jobError);
}

// Builders for queue tests: submit through the real create path, wait for a job to end.
import { getJob } from "@/lib/jobs/queries";
import { createJob } from "@/lib/jobs/create";
import { parseGenerationRequest } from "@/lib/jobs/generation-request";
import type { Principal } from "@/lib/auth/api-keys";
import type { Job } from "@/db/schema";
import { eventually } from "./fixtures";

export async function submitJob(principal: Principal, body: Record<string, unknown>): Promise<Job> {
  return (await createJob({ principal, request: parseGenerationRequest(body, "generation") })).job;
}

const TERMINAL = new Set(["succeeded", "failed", "expired", "canceled"]);

export function waitForTerminal(principal: Principal, jobId: string, timeoutMs = 20_000): Promise<Job> {
  return eventually(
    async () => {
      const job = await getJob({ accountId: principal.accountId, jobId });
      return TERMINAL.has(job.status) ? job : undefined;
    },
    timeoutMs,
    `job ${jobId} to end`,
  );
}

export function waitForStatus(principal: Principal, jobId: string, status: Job["status"], timeoutMs = 20_000): Promise<Job> {
  return eventually(
    async () => {
      const job = await getJob({ accountId: principal.accountId, jobId });
      return job.status === status ? job : undefined;
    },
    timeoutMs,
    `job ${jobId} to be ${status}`,
  );
}

/** Ends a queued job as if it had run: succeeded with a charge, or canceled/failed with none. */
export async function endQueuedJob(jobId: string, to: "succeeded" | "failed" | "canceled", chargeMicros = 0n) {
  const { withTransaction } = await import("@/db/client");
  const { finishJob } = await import("@/lib/jobs/finish");
  return withTransaction((tx) => finishJob(tx, { jobId, from: { statuses: ["queued"] }, to, chargeMicros }));
}

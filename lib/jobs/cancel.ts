import "server-only";
import { and, eq } from "drizzle-orm";
import { withTransaction } from "@/db/client";
import { jobs } from "@/db/schema";
import { JobNotCancelable } from "@/lib/errors";
import { ACTIVE_STATUSES, finishJob } from "./finish";
import { assertJobId, jobNotFound } from "./queries";

/**
 * Cancels a queued or processing job and releases its whole hold. Of two racing cancels (or a
 * cancel racing the worker's settlement) exactly one wins; the loser sees a terminal job and
 * gets `JobNotCancelable`. A worker still rendering the job notices at its next heartbeat and discards it.
 */
export async function cancelJob(input: { accountId: string; jobId: string }) {
  assertJobId(input.jobId);
  return withTransaction(async (tx) => {
    const job = await finishJob(tx, {
      jobId: input.jobId,
      from: { statuses: ACTIVE_STATUSES, accountId: input.accountId },
      to: "canceled",
      chargeMicros: 0n,
    });
    if (job) return job;
    const [existing] = await tx
      .select({ status: jobs.status })
      .from(jobs)
      .where(and(eq(jobs.id, input.jobId), eq(jobs.accountId, input.accountId)));
    if (!existing) throw jobNotFound(input.jobId);
    throw new JobNotCancelable(existing.status);
  });
}

import "server-only";
import { connect } from "@/db/client";
import type { Job } from "@/db/schema";
import { ACTIVE_STATUSES } from "./finish";
import { getJob } from "./queries";

// Waiting for a job to end without holding a database connection while it runs: one LISTEN per
// process on the channel the database announces ended jobs on (migration 0008), and in memory
// the callers waiting for each job id. A waiting request costs a timer and a map entry; its
// reads before and after the wait borrow a pooled connection for a moment each.

/** The channel on which the database announces the id of each job that ended. */
export const JOB_ENDED_CHANNEL = "easel_job_ended";

type Waiters = {
  byJob: Map<string, Set<() => void>>;
  listening?: Promise<void>;
};

// On globalThis so that hot reloads in `next dev` share the one listener of the process.
const state = globalThis as unknown as { __easelJobWaiters?: Waiters };
const waiters: Waiters = (state.__easelJobWaiters ??= { byJob: new Map() });

function listening(): Promise<void> {
  waiters.listening ??= connect()
    .then((connection) => connection.listen(JOB_ENDED_CHANNEL, (jobId) => wakeWaitersOf(jobId)))
    .then(() => undefined)
    .catch((error: unknown) => {
      waiters.listening = undefined; // the next wait tries again
      throw error;
    });
  return waiters.listening;
}

function wakeWaitersOf(jobId: string): void {
  const waiting = waiters.byJob.get(jobId);
  if (!waiting) return;
  waiters.byJob.delete(jobId);
  for (const wake of waiting) wake();
}

const isActive = (job: Job) => (ACTIVE_STATUSES as readonly string[]).includes(job.status);

/**
 * The account's job once it has ended, or as it stands when `timeoutMs` has passed (or `signal`
 * aborted: the client went away). Never throws for a timeout: the caller looks at the status.
 */
export async function waitForJobEnd(input: { accountId: string; jobId: string; timeoutMs: number; signal?: AbortSignal }): Promise<Job> {
  const { accountId, jobId } = input;
  await listening();

  let wake!: () => void;
  const ended = new Promise<void>((resolve) => (wake = resolve));
  const waiting = waiters.byJob.get(jobId) ?? new Set();
  waiting.add(wake);
  waiters.byJob.set(jobId, waiting);
  const timer = setTimeout(wake, input.timeoutMs);
  const onAbort = () => wake();
  input.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    // Registered before reading, so an end committed between the read and the wait still wakes us.
    const current = await getJob({ accountId, jobId });
    if (!isActive(current) || input.timeoutMs <= 0 || input.signal?.aborted) return current;
    await ended;
    return await getJob({ accountId, jobId });
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener("abort", onAbort);
    const left = waiters.byJob.get(jobId);
    left?.delete(wake);
    if (left?.size === 0) waiters.byJob.delete(jobId);
  }
}

/** How many callers wait right now (for tests and metrics). */
export function waitingCount(): number {
  let count = 0;
  for (const waiting of waiters.byJob.values()) count += waiting.size;
  return count;
}

import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import { jobs, type JobStatus } from "@/db/schema";
import { logger } from "@/lib/http/logger";
import { queueConfig, type QueueConfig } from "./config";
import { finishJob, type TerminalStatus } from "./finish";

const BATCH = 100;
const ago = (ms: number) => sql`now() - ${Math.round(ms)}::int * interval '1 millisecond'`;

export type SweepResult = { requeued: number; failed: number; expired: number };

/**
 * Recovers what workers leave behind, so that no job holds credit forever:
 * - a lease that ran out (its worker died) → back to the queue, or failed and released once the
 *   job has been claimed `maxAttempts` times;
 * - queued longer than the queue TTL → expired and released;
 * - processing longer than the job deadline (~7 min) → expired and released; the worker, if
 *   any, notices at its next heartbeat and discards its late result.
 * Every transition is guarded by the job's state, so any number of sweepers may run at once.
 */
export async function sweep(config: QueueConfig = queueConfig()): Promise<SweepResult> {
  const db = await getDb();
  const leaseLost = and(eq(jobs.status, "processing"), lt(jobs.leaseExpiresAt, sql`now()`));

  const requeue = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(leaseLost, lt(jobs.attempts, config.maxAttempts)))
    .limit(BATCH)
    .for("update", { skipLocked: true });
  const requeued = await db
    .update(jobs)
    .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null })
    // The ids gathered once, into an array: an `IN (sub-select … LIMIT)` may be re-run per row.
    .where(and(sql`${jobs.id} = any(array(${requeue}))`, leaseLost))
    .returning({ id: jobs.id });

  const exhausted = await idsWhere(and(leaseLost, gte(jobs.attempts, config.maxAttempts)));
  const failed = await finishAll(exhausted, "processing", "failed", {
    code: "worker_lost",
    message: `The job's worker stopped responding ${config.maxAttempts} times; its hold was released.`,
  }, true);

  const stale = await idsWhere(and(eq(jobs.status, "queued"), lt(jobs.createdAt, ago(config.queuedTtlMs))));
  const late = await idsWhere(and(eq(jobs.status, "processing"), lt(jobs.startedAt, ago(config.deadlineMs))));
  const expired =
    (await finishAll(stale, "queued", "expired", {
      code: "queue_timeout",
      message: `The job waited in the queue longer than ${Math.round(config.queuedTtlMs / 1000)} s; its hold was released.`,
    })) +
    (await finishAll(late, "processing", "expired", {
      code: "deadline_exceeded",
      message: `The job did not finish within ${Math.round(config.deadlineMs / 1000)} s; its hold was released.`,
    }));

  const result = { requeued: requeued.length, failed, expired };
  if (result.requeued + result.failed + result.expired > 0) logger.info(result, "sweep");
  return result;
}

async function idsWhere(condition: ReturnType<typeof and>): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ id: jobs.id }).from(jobs).where(condition).limit(BATCH);
  return rows.map((row) => row.id);
}

/** Ends each job in its own transaction; counts those that were still in `from` to end. */
async function finishAll(
  ids: string[],
  from: JobStatus,
  to: TerminalStatus,
  error: { code: string; message: string },
  leaseExpired = false,
): Promise<number> {
  let count = 0;
  for (const jobId of ids) {
    const job = await withTransaction((tx) =>
      finishJob(tx, { jobId, from: { statuses: [from], leaseExpired }, to, chargeMicros: 0n, error }),
    );
    if (job) count++;
  }
  return count;
}

/** Runs `sweep` every `sweepMs` until stopped. */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: QueueConfig = queueConfig()) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping.then(() => sweep(this.config)).catch((error: unknown) => logger.error({ err: error }, "sweep failed"));
    }, this.config.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }
}

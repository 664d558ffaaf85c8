import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, withTransaction, type Transaction } from "@/db/client";
import { jobs, type Job } from "@/db/schema";
import { recordJobEvents } from "@/lib/webhooks/outbox";

// A worker's hold on jobs: claim (queued → processing, with a lease), heartbeat (extend the
// lease of what it still holds), hand back (processing → queued on shutdown). Leases are in the
// database's clock, so workers on many machines agree on them.

const leaseUntil = (leaseMs: number) => sql`now() + ${Math.round(leaseMs)}::int * interval '1 millisecond'`;

/**
 * Claims up to `limit` queued jobs, oldest first. `FOR UPDATE SKIP LOCKED` lets any number of
 * workers claim at once without waiting on each other or ever taking the same job. A job's
 * first claim writes its job.started webhook event in the same transaction.
 */
export async function claimJobs(input: { workerId: string; limit: number; leaseMs: number }): Promise<Job[]> {
  return withTransaction(async (tx) => {
    const claimed = await claimQueued(tx, input);
    await recordJobEvents(tx, claimed.filter((job) => job.attempts === 1));
    return claimed;
  });
}

async function claimQueued(db: Transaction, input: { workerId: string; limit: number; leaseMs: number }): Promise<Job[]> {
  const next = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(eq(jobs.status, "queued"))
    .orderBy(asc(jobs.createdAt))
    .limit(input.limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "processing",
      leaseOwner: input.workerId,
      leaseExpiresAt: leaseUntil(input.leaseMs),
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
    })
    .where(and(inArray(jobs.id, next), eq(jobs.status, "queued")))
    .returning();
}

/**
 * Extends the leases of the jobs this worker still holds; returns their ids. A job missing from
 * the answer was taken from it — canceled, expired, or requeued by the sweeper — and must stop.
 */
export async function renewLeases(input: { workerId: string; jobIds: string[]; leaseMs: number }): Promise<Set<string>> {
  if (input.jobIds.length === 0) return new Set();
  const db = await getDb();
  const rows = await db
    .update(jobs)
    .set({ leaseExpiresAt: leaseUntil(input.leaseMs) })
    .where(and(inArray(jobs.id, input.jobIds), eq(jobs.leaseOwner, input.workerId), eq(jobs.status, "processing")))
    .returning({ id: jobs.id });
  return new Set(rows.map((row) => row.id));
}

/** Puts jobs this worker holds back in the queue, for another worker to take. */
export async function handBack(input: { workerId: string; jobIds: string[] }): Promise<number> {
  if (input.jobIds.length === 0) return 0;
  const db = await getDb();
  const rows = await db
    .update(jobs)
    .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null })
    .where(and(inArray(jobs.id, input.jobIds), eq(jobs.leaseOwner, input.workerId), eq(jobs.status, "processing")))
    .returning({ id: jobs.id });
  return rows.length;
}

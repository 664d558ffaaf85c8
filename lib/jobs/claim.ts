import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, withTransaction, type Transaction } from "@/db/client";
import { jobs, type Job } from "@/db/schema";
import { recordJobEvents } from "@/lib/webhooks/outbox";

// A worker's hold on jobs: claim (queued → processing, with a lease), heartbeat (extend the
// lease of what it still holds), hand back (processing → queued on shutdown). Leases are in the
// database's clock, so workers on many machines agree on them.

const leaseUntil = (leaseMs: number) => sql`now() + ${Math.round(leaseMs)}::int * interval '1 millisecond'`;

/**
 * The ids of up to `limit` queued jobs, shared fairly between the accounts waiting: turn by turn,
 * the account with the fewest jobs running gets its oldest queued job (ties: the account whose
 * oldest job has waited longest), so that one account's flood never starves another's job.
 * Each job is locked `FOR UPDATE SKIP LOCKED`, so that any number of workers claim at once
 * without waiting on each other or ever taking the same job.
 *
 * Bounded by the accounts waiting, never by the length of the queue: the accounts are found by
 * skipping through the queued jobs' (account, created_at) index one account at a time; only the
 * `limit` least busy can get a turn; each gives at most its share of locked rows.
 */
const fairPick = (limit: number, maxRunning: number | null) => sql`
  with recursive waiting(account_id) as (
      (select w0.account_id from jobs w0 where w0.status = 'queued' order by w0.account_id limit 1)
    union all
      select (select w1.account_id from jobs w1 where w1.status = 'queued' and w1.account_id > w.account_id
              order by w1.account_id limit 1)
      from waiting w where w.account_id is not null
  ),
  accounts as (
    select w.account_id,
      (select count(*) from jobs r where r.status = 'processing' and r.account_id = w.account_id) as running,
      (select min(q.created_at) from jobs q where q.status = 'queued' and q.account_id = w.account_id) as oldest
    from waiting w where w.account_id is not null
  ),
  candidates as (
    select * from accounts
    where ${maxRunning}::int is null or running < ${maxRunning}::int
    order by running, oldest, account_id
    limit ${limit}::int
  ),
  turns as (
    select shares.account_id, count(*)::int as take from (
      select a.account_id from candidates a cross join generate_series(1, ${limit}::int) as t(turn)
      order by a.running + t.turn, a.oldest, a.account_id
      limit ${limit}::int
    ) as shares
    group by shares.account_id
  )
  select c.id from turns cross join lateral (
    select q.id from jobs q where q.status = 'queued' and q.account_id = turns.account_id
    order by q.created_at
    limit turns.take
    for update skip locked
  ) as c`;

/**
 * Claims up to `limit` queued jobs (see `fairPick`); with `maxRunning`, only of accounts with
 * fewer jobs than that running (a worker's reserved slots). The ids are gathered once, into an array,
 * before any row is updated: an `IN (sub-select … LIMIT n)` may be re-run by Postgres for each
 * row it updates — each run skipping the rows already updated — and so take far more than `n`.
 */
export async function claimJobs(input: { workerId: string; limit: number; leaseMs: number; maxRunning?: number }): Promise<Job[]> {
  const limit = Math.max(0, Math.floor(input.limit));
  if (limit === 0) return [];
  // A job's first claim writes its job.started webhook event in the same transaction.
  return withTransaction(async (tx) => {
    const claimed = await claimQueued(tx, { ...input, limit });
    await recordJobEvents(tx, claimed.filter((job) => job.attempts === 1));
    return claimed;
  });
}

async function claimQueued(tx: Transaction, input: { workerId: string; limit: number; leaseMs: number; maxRunning?: number }): Promise<Job[]> {
  return tx
    .update(jobs)
    .set({
      status: "processing",
      leaseOwner: input.workerId,
      leaseExpiresAt: leaseUntil(input.leaseMs),
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
    })
    .where(and(sql`${jobs.id} = any(array(${fairPick(input.limit, input.maxRunning ?? null)}))`, eq(jobs.status, "queued")))
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

import "server-only";
import { getTableColumns, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { jobs, type Job, type JobStatus } from "@/db/schema";
import { settleHolds } from "@/lib/billing/ledger";
import { checkLowBalance } from "@/lib/billing/low-balance";
import { recordJobEvents } from "@/lib/webhooks/outbox";

export const ACTIVE_STATUSES = ["queued", "processing"] as const satisfies readonly JobStatus[];
export type TerminalStatus = Exclude<JobStatus, (typeof ACTIVE_STATUSES)[number]>;

/** How one job ends, and the state its caller believes it to be in. */
export type Ending = {
  jobId: string;
  from: {
    statuses: readonly JobStatus[];
    accountId?: string;
    leaseOwner?: string;
    /** Only if the lease has run out (the sweeper must not fail a job that just renewed it). */
    leaseExpired?: boolean;
  };
  to: TerminalStatus;
  /** What the caller pays: 0 unless `to` is succeeded; never more than the hold. */
  chargeMicros: bigint;
  error?: { code: string; message: string };
  provider?: string | null;
  fallbackLayer?: number | null;
  upstreamRequestId?: string | null;
};

/**
 * The one way jobs end: their terminal status and the settlement of their holds, in the
 * caller's transaction. The update's WHERE names the state each caller believes its job is in
 * (status; the account for a user; the lease owner for a worker; an expired lease for the
 * sweeper), so of two racing endings — a cancel and a completion, two sweepers, a worker and
 * the sweeper — exactly one matches and settles; the others are left out and change nothing.
 *
 * `beforeSettling` runs after the status changes and before the money moves (a worker records
 * the images there), so that the account's row lock is the last thing taken; the webhook events
 * of the endings (job.succeeded, …, with what was charged) are written just before it.
 * Returns the jobs that ended, in the order given.
 */
export async function finishJobs(
  tx: Transaction,
  endings: readonly Ending[],
  beforeSettling?: (finished: Job[]) => Promise<void>,
): Promise<Job[]> {
  if (endings.length === 0) return [];
  if (new Set(endings.map((e) => e.jobId)).size !== endings.length) throw new Error("A job can end only once per call");
  for (const e of endings) {
    if (e.to !== "succeeded" && e.chargeMicros !== 0n) throw new Error(`A ${e.to} job cannot be charged`);
  }

  const values = endings.map(
    (e) => sql`(${e.jobId}::text, ${e.from.statuses.join(",")}::text, ${e.from.accountId ?? null}::text,
      ${e.from.leaseOwner ?? null}::text, ${e.from.leaseExpired ?? false}::boolean, ${e.to}::text, ${e.chargeMicros}::bigint,
      ${e.error?.code ?? null}::text, ${e.error?.message ?? null}::text,
      ${e.provider !== undefined}::boolean, ${e.provider ?? null}::text,
      ${e.fallbackLayer !== undefined}::boolean, ${e.fallbackLayer ?? null}::int, ${e.upstreamRequestId ?? null}::text)`,
  );
  const v = sql.raw("v");
  const ended = await tx
    .update(jobs)
    .set({
      status: sql`${v}.to_status::job_status`,
      chargedMicros: sql`${v}.charge`,
      completedAt: sql`now()`,
      errorCode: sql`${v}.error_code`,
      errorMessage: sql`${v}.error_message`,
      provider: sql`case when ${v}.set_provider then ${v}.provider else ${jobs.provider} end`,
      fallbackLayer: sql`case when ${v}.set_fallback then ${v}.fallback_layer else ${jobs.fallbackLayer} end`,
      upstreamRequestId: sql`coalesce(${v}.upstream_request_id, ${jobs.upstreamRequestId})`,
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .from(
      sql`(values ${sql.join(values, sql`, `)}) as v(job_id, statuses, account_id, lease_owner, lease_expired,
            to_status, charge, error_code, error_message, set_provider, provider, set_fallback, fallback_layer,
            upstream_request_id)`,
    )
    .where(
      sql`${jobs.id} = ${v}.job_id
          and ${jobs.status} = any(string_to_array(${v}.statuses, ',')::job_status[])
          and (${v}.account_id is null or ${jobs.accountId} = ${v}.account_id)
          and (${v}.lease_owner is null or ${jobs.leaseOwner} = ${v}.lease_owner)
          and (not ${v}.lease_expired or ${jobs.leaseExpiresAt} < now())`,
    )
    .returning(getTableColumns(jobs));
  if (ended.length === 0) return [];

  const byId = new Map(ended.map((job) => [job.id, job]));
  const finished = endings.filter((e) => byId.has(e.jobId)).map((e) => byId.get(e.jobId)!);

  await beforeSettling?.(finished);
  await recordJobEvents(tx, finished);
  const settled = await settleHolds(
    tx,
    finished.map((job) => ({ jobId: job.id, chargeMicros: job.chargedMicros!, apiKeyId: job.apiKeyId, createdAt: job.createdAt })),
  );
  for (const job of finished) {
    if (!settled.has(job.id)) throw new Error(`Job ${job.id} was active but its hold was not`);
  }
  // A charge that took available credit below the owner's threshold alerts, in this transaction.
  await checkLowBalance(tx, {
    accountIds: finished.map((job) => job.accountId),
    charged: finished.filter((job) => (job.chargedMicros ?? 0n) > 0n).map((job) => job.accountId),
  });
  return finished;
}

/** Ends one job; null, changing nothing, when it is not in the state the caller expected. */
export async function finishJob(tx: Transaction, ending: Ending): Promise<Job | null> {
  return (await finishJobs(tx, [ending]))[0] ?? null;
}

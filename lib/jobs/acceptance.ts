import "server-only";
import { sql } from "drizzle-orm";
import { getDb, selectRows } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { holds, jobs, type Job } from "@/db/schema";
import { movementCtes } from "@/lib/billing/ledger";
import { keyCheckCtes, keyDemands, keyReservedCte, keysFit } from "@/lib/keys/spend";
import { newId } from "@/lib/ids";
import { GroupCommit } from "./group-commit";

/** A job to accept, and the cap on its account's jobs in flight (none when limits are off). */
export type Candidate = { job: Job; maxInFlight?: number };

/** accepted: held and queued. refused: no credit or no room in flight. key_taken: a retry raced us. */
export type Acceptance = "accepted" | "refused" | "key_taken";

type Result = { acceptance: Acceptance } | { error: unknown };

const IDEMPOTENCY_INDEX = "jobs_account_idempotency_key_idx";

/**
 * Accepts jobs: the hold of each estimate, the jobs, their hold rows and ledger entries are
 * written by one SQL statement, so a job exists exactly when its credit is held, and the
 * account's row lock lasts only as long as that statement and its commit.
 *
 * Jobs of one account submitted at the same moment are accepted together (group commit): one
 * statement and one commit for the batch, all or nothing, which is what lets one busy account
 * submit thousands of jobs a second. A batch that does not fit as a whole — too little credit
 * or room in flight for all of it, or an idempotency key racing another request — falls back to
 * accepting its jobs one by one, in the order they arrived, each decided exactly as it would be
 * alone. When idle, a job is accepted at once, without waiting for company.
 */
export function acceptJob(candidate: Candidate): Promise<Acceptance> {
  return acceptor.submit(candidate).then((result) => {
    if ("error" in result) throw result.error;
    return result.acceptance;
  });
}

const acceptor = new GroupCommit<Candidate, Result>(acceptBatch, { lanes: 4 });

async function acceptBatch(candidates: Candidate[]): Promise<Result[]> {
  const byAccount = new Map<string, number[]>();
  candidates.forEach(({ job }, index) => {
    const indexes = byAccount.get(job.accountId) ?? [];
    indexes.push(index);
    byAccount.set(job.accountId, indexes);
  });
  const results: Result[] = new Array(candidates.length);
  await Promise.all(
    [...byAccount.values()].map(async (indexes) => {
      const group = indexes.map((i) => candidates[i]!);
      // Whatever stops the batch (a refusal, a racing key, an error) is met again, and reported
      // to the job it concerns, one by one.
      const together = group.length > 1 ? await insertAll(group).catch(() => false) : false;
      for (const [n, index] of indexes.entries()) {
        results[index] = together ? { acceptance: "accepted" } : await acceptAlone(group[n]!);
      }
    }),
  );
  return results;
}

async function acceptAlone(candidate: Candidate): Promise<Result> {
  try {
    return { acceptance: (await insertAll([candidate])) ? "accepted" : "refused" };
  } catch (error) {
    if (candidate.job.idempotencyKey && isUniqueViolation(error, IDEMPOTENCY_INDEX)) return { acceptance: "key_taken" };
    return { error };
  }
}

/**
 * The statement: holds for every candidate (one account's) and their jobs and hold rows, and
 * the reservations on their keys' spend limits; true if they were all accepted, false —
 * changing nothing — if the account's available credit, its cap on jobs in flight or a key's
 * spend limit cannot take them all. A unique violation on the idempotency index
 * undoes the whole statement too.
 */
async function insertAll(candidates: Candidate[]): Promise<boolean> {
  const accountId = candidates[0]!.job.accountId;
  const caps = candidates.map((c) => c.maxInFlight).filter((max): max is number => max !== undefined);
  const inFlight = { delta: candidates.length, max: caps.length > 0 ? Math.min(...caps) : undefined };
  const movements = candidates.map(({ job }) => ({ accountId, type: "hold" as const, amountMicros: job.estimatedMicros, jobId: job.id }));
  const rows = candidates.map(
    ({ job }) => sql`(${job.id}::text, ${job.apiKeyId}::text, ${job.kind}::job_kind, ${job.model}::text, ${job.prompt}::text,
      ${JSON.stringify(job.params)}::jsonb, ${job.estimatedMicros}::bigint, ${job.idempotencyKey}::text, ${job.requestHash}::text,
      ${job.createdAt.toISOString()}::timestamptz, ${newId("hold")}::text, ${job.webhookUrl}::text,
      ${job.webhookEvents ? `{${job.webhookEvents.join(",")}}` : null}::text[])`,
  );
  // Each key with a spend limit must have room for its share of the batch, checked and reserved
  // in this same statement, on the key's locked row (lib/keys/spend.ts).
  const demands = keyDemands(candidates.map(({ job }) => job));
  const keyCtes = demands.length > 0 ? sql`${keyCheckCtes(demands)},` : sql``;
  const accepted = await selectRows<{ id: string }>(
    await getDb(),
    sql`with ${keyCtes} ${movementCtes(movements, inFlight, demands.length > 0 ? keysFit : undefined)},
      ${demands.length > 0 ? sql`${keyReservedCte},` : sql``}
      candidate (id, api_key_id, kind, model, prompt, params, estimated_micros, idempotency_key, request_hash, created_at, hold_id,
                 webhook_url, webhook_events)
        as (values ${sql.join(rows, sql`, `)}),
      job as (
        insert into ${jobs} (id, account_id, api_key_id, kind, model, prompt, params, status,
                             estimated_micros, idempotency_key, request_hash, created_at, webhook_url, webhook_events)
        select c.id, ${accountId}, c.api_key_id, c.kind, c.model, c.prompt, c.params, 'queued',
               c.estimated_micros, c.idempotency_key, c.request_hash, c.created_at, c.webhook_url, c.webhook_events
          from candidate c cross join moved
     returning id),
      hold as (
        insert into ${holds} (id, account_id, job_id, amount_micros)
        select c.hold_id, ${accountId}, c.id, c.estimated_micros from candidate c cross join moved)
      select id from job`,
  );
  return accepted.length === candidates.length;
}

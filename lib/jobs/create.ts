import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts, jobs, type Job } from "@/db/schema";
import type { Principal } from "@/lib/auth/api-keys";
import { insufficientCredits } from "@/lib/billing/ledger";
import { tierFor, type TierLimits } from "@/lib/billing/tiers";
import { rateLimitsEnabled } from "@/lib/rate-limit/api-limits";
import { ConcurrencyLimited, IdempotencyKeyReused, type DomainError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { keyBudgetRefusal } from "@/lib/keys/budget";
import { acceptJob } from "./acceptance";
import type { GenerationRequest } from "./generation-request";

export type CreatedJob = { job: Job; replayed: boolean };

/**
 * Accepts a validated request (see `acceptJob`: the hold, the job and its ledger entry in one
 * statement), or refuses it: `KeyBudgetExceeded`, `InsufficientCredits` or `ConcurrencyLimited`.
 *
 * With an idempotency key, the same (account, key) always yields the same job. The unique index
 * on (account_id, idempotency_key) decides between concurrent retries: the first insert wins;
 * the others wait for it, fail on the index — undoing their whole statement, hold included —
 * and return the winner's job.
 */
export async function createJob(input: { principal: Principal; request: GenerationRequest }): Promise<CreatedJob> {
  const { principal, request } = input;
  const key = request.idempotencyKey ?? null;
  const requestHash = key ? fingerprint(request) : null;

  if (key) {
    const existing = await findByIdempotencyKey(principal.accountId, key);
    if (existing) return replay(existing, requestHash);
  }

  const job: Job = {
    id: newId("job"),
    accountId: principal.accountId,
    apiKeyId: principal.apiKeyId,
    kind: request.kind,
    model: request.model.id,
    prompt: request.prompt,
    params: request.params,
    status: "queued",
    estimatedMicros: request.estimate.totalMicros,
    chargedMicros: null,
    idempotencyKey: key,
    requestHash,
    errorCode: null,
    errorMessage: null,
    provider: null,
    fallbackLayer: null,
    upstreamRequestId: null,
    webhookUrl: request.webhook?.url ?? null,
    webhookEvents: request.webhook?.events ?? null,
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: new Date(),
    startedAt: null,
    completedAt: null,
  };

  // One more job in flight, within the tier's cap: checked on the same locked row as the money.
  const tier = rateLimitsEnabled() ? tierFor(principal.lifetimeDepositsMicros, principal.tierOverride) : null;
  switch (await acceptJob({ job, maxInFlight: tier?.maxJobsInFlight })) {
    case "accepted":
      return { job, replayed: false };
    case "key_taken": {
      // A retry with the same key won the race: return its job (or refuse a different body).
      const winner = await findByIdempotencyKey(principal.accountId, key!);
      if (!winner) throw new Error(`The job holding idempotency key ${key} vanished`);
      return replay(winner, requestHash);
    }
    case "refused": {
      // A retry with the same key may have won the race and taken the credit this one needed:
      // its job is the answer, not a refusal.
      const winner = key ? await findByIdempotencyKey(principal.accountId, key) : undefined;
      if (winner) return replay(winner, requestHash);
      throw await refusal(job, tier);
    }
  }
}

/** Why the statement accepted nothing: the key's spend limit, no credit for it, or too many jobs running. */
async function refusal(job: Job, tier: TierLimits | null): Promise<DomainError> {
  const overBudget = job.apiKeyId ? await keyBudgetRefusal({ keyId: job.apiKeyId, neededMicros: job.estimatedMicros, at: job.createdAt }) : null;
  if (overBudget) return overBudget;
  const db = await getDb();
  const [account] = await db
    .select({ available: sql<string>`${creditAccounts.balanceMicros} - ${creditAccounts.heldMicros}`, inFlight: creditAccounts.jobsInFlight })
    .from(creditAccounts)
    .where(eq(creditAccounts.id, job.accountId));
  if (tier && account && BigInt(account.available) >= job.estimatedMicros && account.inFlight >= tier.maxJobsInFlight) {
    return new ConcurrencyLimited(account.inFlight, tier.maxJobsInFlight, tier.tier);
  }
  return insufficientCredits(db, { accountId: job.accountId, requiredMicros: job.estimatedMicros });
}

async function findByIdempotencyKey(accountId: string, key: string): Promise<Job | undefined> {
  const db = await getDb();
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), eq(jobs.idempotencyKey, key)))
    .limit(1);
  return job;
}

function replay(job: Job, requestHash: string | null): CreatedJob {
  if (job.requestHash !== requestHash) {
    throw new IdempotencyKeyReused();
  }
  return { job, replayed: true };
}

/** What makes two requests "the same" for idempotency: the normalised request, not its bytes. */
function fingerprint(request: GenerationRequest): string {
  const canonical = JSON.stringify([request.kind, request.model.id, request.prompt, request.params]);
  return createHash("sha256").update(canonical).digest("hex");
}

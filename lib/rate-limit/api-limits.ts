import "server-only";
import { tierFor, type TierLimits, type TierOverride } from "@/lib/billing/tiers";
import { RateLimited } from "@/lib/errors";
import { spendOne } from "./leases";
import { spend, type Limit } from "./limiter";

// The API's limits (docs/product-rules.md): per account, by tier — job creations a minute, reads a
// minute (and, in createJob, jobs in flight); per client address for what needs no account.
// Every /v1 response says where its caller stands: X-RateLimit-Limit, -Remaining, -Reset.

export type LimitKind = "create" | "read" | "public" | "files";

const MINUTE = 60;
/** Unauthenticated endpoints: the catalogue, prices, estimates. */
const PUBLIC_LIMIT: Limit = { points: 600, durationSeconds: MINUTE };
/** Signed file URLs: a gallery page loads dozens of thumbnails at once. */
const FILES_LIMIT: Limit = { points: 6000, durationSeconds: MINUTE };

/** EASEL_RATE_LIMITS=off turns every limit off (load tests, benchmarks); they are on otherwise. */
export const rateLimitsEnabled = () => process.env.EASEL_RATE_LIMITS !== "off";

/**
 * EASEL_RATE_LIMIT_MULTIPLIER=n multiplies every allowance here (benchmarks: limits counted as in
 * production, at rates no tier allows). Unset, 1.
 */
const multiplier = () => Math.max(1, Number(process.env.EASEL_RATE_LIMIT_MULTIPLIER) || 1);

export type Caller = { accountId: string; lifetimeDepositsMicros: bigint; tierOverride?: TierOverride | null } | { address: string };

function budget(kind: LimitKind, caller: Caller): { name: string; limit: Limit; key: string; tier?: TierLimits } {
  if ("accountId" in caller && (kind === "create" || kind === "read")) {
    const tier = tierFor(caller.lifetimeDepositsMicros, caller.tierOverride);
    // The tier is in the name: a deposit that raises it starts a new, larger allowance at once.
    const points = kind === "create" ? tier.jobCreationsPerMinute : tier.readsPerMinute;
    return { name: `${kind}:tier${tier.tier}`, limit: { points, durationSeconds: MINUTE }, key: caller.accountId, tier };
  }
  const key = "address" in caller ? caller.address : caller.accountId;
  return kind === "files" ? { name: "files", limit: FILES_LIMIT, key } : { name: "public", limit: PUBLIC_LIMIT, key };
}

/**
 * Spends one request of the caller's allowance. Returns the headers every response carries;
 * throws `RateLimited` (with them, and when to retry) when the allowance is spent.
 */
export async function enforceRateLimit(kind: LimitKind, caller: Caller): Promise<Record<string, string>> {
  if (!rateLimitsEnabled()) return {};
  const { name, limit: base, key, tier } = budget(kind, caller);
  const limit = { ...base, points: base.points * multiplier() };
  // EASEL_RATE_LIMIT_LEASES=off: one write to the shared counter per request, nothing leased.
  const result = process.env.EASEL_RATE_LIMIT_LEASES === "off" ? await spend(name, limit, key) : await spendOne(name, limit, key);
  const resetSeconds = Math.max(1, Math.ceil(result.resetMs / 1000));
  const headers = {
    "X-RateLimit-Limit": String(result.limit),
    "X-RateLimit-Remaining": String(result.remaining),
    "X-RateLimit-Reset": String(resetSeconds),
  };
  if (result.allowed) return headers;
  const what = kind === "create" ? "job creations" : "requests";
  const tierText = tier ? `Tier ${tier.tier} allows` : "This address may make";
  throw new RateLimited(
    `${tierText} ${result.limit} ${what} a minute. Try again in ${resetSeconds} s${tier ? ", or raise your tier with a deposit" : ""}.`,
    resetSeconds,
    headers,
  );
}

// Usage tiers follow lifetime deposits (docs/product-rules.md, "Limits"). Pure data.

export type TierLimits = {
  tier: number;
  /** Lifetime deposits at which the tier starts. */
  minDepositsMicros: bigint;
  jobCreationsPerMinute: number;
  readsPerMinute: number;
  maxJobsInFlight: number;
};

const usd = (dollars: number) => BigInt(dollars) * 1_000_000n;

export const TIERS: readonly TierLimits[] = [
  { tier: 0, minDepositsMicros: usd(0), jobCreationsPerMinute: 30, readsPerMinute: 300, maxJobsInFlight: 5 },
  { tier: 1, minDepositsMicros: usd(5), jobCreationsPerMinute: 60, readsPerMinute: 600, maxJobsInFlight: 10 },
  { tier: 2, minDepositsMicros: usd(50), jobCreationsPerMinute: 120, readsPerMinute: 1200, maxJobsInFlight: 20 },
  { tier: 3, minDepositsMicros: usd(250), jobCreationsPerMinute: 200, readsPerMinute: 2000, maxJobsInFlight: 40 },
  { tier: 4, minDepositsMicros: usd(1000), jobCreationsPerMinute: 300, readsPerMinute: 3000, maxJobsInFlight: 100 },
];

/** A tier support set by hand, instead of the deposits' one, until `until` (null: until cleared). */
export type TierOverride = { tier: number; until: Date | null };

/** Whether an override still applies at `now`. */
export const overrideApplies = (override: TierOverride | null | undefined, now = new Date()): override is TierOverride =>
  !!override && TIERS[override.tier] !== undefined && (override.until === null || override.until.getTime() > now.getTime());

/** The tier support set, while it applies; else the highest tier whose threshold the deposits reach. */
export function tierFor(lifetimeDepositsMicros: bigint, override?: TierOverride | null, now = new Date()): TierLimits {
  if (overrideApplies(override, now)) return TIERS[override.tier]!;
  let current = TIERS[0]!;
  for (const tier of TIERS) if (lifetimeDepositsMicros >= tier.minDepositsMicros) current = tier;
  return current;
}

export function nextTier(tier: TierLimits): TierLimits | undefined {
  return TIERS[tier.tier + 1];
}

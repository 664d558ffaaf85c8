import { toUsd } from "@/lib/money";
import type { Balance } from "./balance";
import type { BalanceObject } from "./schemas";

export type { BalanceObject };

/** The balance object of the API (GET /v1/balance), also prefetched into the dashboard. */
export function balanceJson(balance: Balance): BalanceObject {
  // With a tier set by support, deposits lead nowhere until it ends.
  const next = balance.tierOverride ? undefined : balance.nextTier;
  return {
    object: "balance",
    account_id: balance.accountId,
    currency: "usd",
    balance: toUsd(balance.balanceMicros),
    held: toUsd(balance.heldMicros),
    available: toUsd(balance.availableMicros),
    lifetime_deposits: toUsd(balance.lifetimeDepositsMicros),
    tier: balance.tier.tier,
    tier_source: balance.tierOverride ? "support" : "deposits",
    tier_override_until: balance.tierOverride?.until?.toISOString() ?? null,
    low_balance_threshold: balance.lowBalanceThresholdMicros === null ? null : toUsd(balance.lowBalanceThresholdMicros),
    next_tier: next
      ? {
          tier: next.tier,
          lifetime_deposits: toUsd(next.minDepositsMicros),
          remaining: toUsd(next.minDepositsMicros - balance.lifetimeDepositsMicros),
        }
      : null,
  };
}

import { toUsd } from "@/lib/money";
import type { Balance } from "./balance";
import type { BalanceObject } from "./schemas";

export type { BalanceObject };

/** The balance object of the API (GET /v1/balance), also prefetched into the dashboard. */
export function balanceJson(balance: Balance): BalanceObject {
  const next = balance.nextTier;
  return {
    object: "balance",
    account_id: balance.accountId,
    currency: "usd",
    balance: toUsd(balance.balanceMicros),
    held: toUsd(balance.heldMicros),
    available: toUsd(balance.availableMicros),
    lifetime_deposits: toUsd(balance.lifetimeDepositsMicros),
    tier: balance.tier.tier,
    next_tier: next
      ? {
          tier: next.tier,
          lifetime_deposits: toUsd(next.minDepositsMicros),
          remaining: toUsd(next.minDepositsMicros - balance.lifetimeDepositsMicros),
        }
      : null,
  };
}

import "server-only";
import { eq, sql } from "drizzle-orm";
import { preparedQuery } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { nextTier, overrideApplies, tierFor, type TierOverride } from "./tiers";

export type Balance = {
  accountId: string;
  balanceMicros: bigint;
  heldMicros: bigint;
  availableMicros: bigint;
  lifetimeDepositsMicros: bigint;
  tier: ReturnType<typeof tierFor>;
  nextTier?: ReturnType<typeof tierFor>;
  /** The tier support set, while it applies (and so is `tier`). */
  tierOverride: TierOverride | null;
  lowBalanceThresholdMicros: bigint | null;
};

const accountRow = preparedQuery((db) =>
  db.select().from(creditAccounts).where(eq(creditAccounts.id, sql.placeholder("accountId"))).prepare("balance_account"),
);

export async function getBalance(input: { accountId: string }): Promise<Balance | null> {
  const [account] = await (await accountRow()).execute({ accountId: input.accountId });
  if (!account) return null;
  const override = account.tierOverride === null ? null : { tier: account.tierOverride, until: account.tierOverrideUntil };
  const tier = tierFor(account.lifetimeDepositsMicros, override);
  return {
    accountId: account.id,
    balanceMicros: account.balanceMicros,
    heldMicros: account.heldMicros,
    availableMicros: account.balanceMicros - account.heldMicros,
    lifetimeDepositsMicros: account.lifetimeDepositsMicros,
    tier,
    nextTier: nextTier(tier),
    tierOverride: overrideApplies(override) ? override : null,
    lowBalanceThresholdMicros: account.lowBalanceThresholdMicros,
  };
}

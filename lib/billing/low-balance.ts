import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, selectRows, type Transaction } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { queueEmail } from "@/lib/email/outbox";
import { invalidInput, NotFound } from "@/lib/errors";
import { toUsd } from "@/lib/money";
import { recordBalanceLowEvent } from "@/lib/webhooks/outbox";

// The low-balance alert: when a charge leaves an account's available credit below the threshold
// its owner set, one `balance.low` webhook event and one email, written in the transaction of
// that charge; then nothing more until available credit has been at or above the threshold
// again (a top-up, a release), which re-arms it. The state is `low_balance_alerted_at`, moved by
// one conditional UPDATE on the account's row (locked already by the money that moved), so no
// race can alert twice for one crossing.

/** The most a threshold may be: far above any real balance, far below what bigint holds. */
export const MAX_THRESHOLD_MICROS = 1_000_000n * 1_000_000n;

/**
 * After money moved on these accounts: alerts those that `charged` took below their threshold
 * (not alerted yet), and re-arms those back at or above it. In the caller's transaction.
 */
export async function checkLowBalance(tx: Transaction, input: { accountIds: readonly string[]; charged: readonly string[] }): Promise<void> {
  const ids = [...new Set(input.accountIds)];
  if (ids.length === 0) return;
  const charged = [...new Set(input.charged)];
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const chargedList = charged.length > 0 ? sql.join(charged.map((id) => sql`${id}`), sql`, `) : sql`null`;
  const flipped = await selectRows<{ id: string; alerted: boolean; balance: string | bigint; held: string | bigint; threshold: string | bigint }>(
    tx,
    sql`update ${creditAccounts}
           set low_balance_alerted_at = case when low_balance_alerted_at is null then now() else null end
         where id in (${idList}) and low_balance_threshold_micros is not null
           and ((low_balance_alerted_at is null and id in (${chargedList})
                 and balance_micros - held_micros < low_balance_threshold_micros)
             or (low_balance_alerted_at is not null and balance_micros - held_micros >= low_balance_threshold_micros))
     returning id, low_balance_alerted_at is not null as alerted, balance_micros as balance, held_micros as held,
               low_balance_threshold_micros as threshold`,
  );
  for (const row of flipped.filter((r) => r.alerted)) {
    const balanceMicros = BigInt(row.balance);
    const heldMicros = BigInt(row.held);
    const thresholdMicros = BigInt(row.threshold);
    await recordBalanceLowEvent(tx, { accountId: row.id, balanceMicros, heldMicros, thresholdMicros });
    await queueEmail(tx, {
      accountId: row.id,
      kind: "low_balance",
      data: { availableUsd: toUsd(balanceMicros - heldMicros), thresholdUsd: toUsd(thresholdMicros) },
    });
  }
}

/** Sets (or, with null, removes) the account's low-balance threshold; a new one is armed. */
export async function setLowBalanceThreshold(input: { accountId: string; thresholdMicros: bigint | null }): Promise<void> {
  if (input.thresholdMicros !== null && (input.thresholdMicros < 0n || input.thresholdMicros > MAX_THRESHOLD_MICROS)) {
    throw invalidInput("invalid_parameter", "low_balance_threshold must be null or USD from 0 to 1,000,000.", "low_balance_threshold");
  }
  const db = await getDb();
  const rows = await db
    .update(creditAccounts)
    .set({ lowBalanceThresholdMicros: input.thresholdMicros, lowBalanceAlertedAt: null, updatedAt: new Date() })
    .where(eq(creditAccounts.id, input.accountId))
    .returning({ id: creditAccounts.id });
  if (rows.length === 0) throw new NotFound("account_not_found", "No such account.");
}

import "server-only";
import { eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { creditAccounts } from "@/db/schema";
import { grantCredit } from "@/lib/billing/credit";
import { recordTopupEvent } from "@/lib/webhooks/outbox";

/** The index that lets a payment reference be credited as a top-up only once (db/schema.ts). */
const ONE_TOPUP_PER_PAYMENT = "ledger_entries_topup_payment_idx";

/**
 * Credits a payment as a `topup` (which raises lifetime deposits, and so the tier) unless that
 * payment was credited before — by the other event of the same Checkout Session, say. The unique
 * index on the payment reference decides, also between two transactions racing; the entry is
 * written under a savepoint because a unique violation aborts the whole Postgres transaction,
 * and the caller's (the event's record) must still commit. A credited payment writes its
 * topup.succeeded webhook event in the same transaction.
 */
export async function creditPaymentOnce(
  tx: Transaction,
  input: { accountId: string; amountMicros: bigint; paymentRef: string; description: string; receiptUrl?: string | null },
): Promise<"credited" | "already_credited"> {
  try {
    const entry = await tx.transaction((savepoint) => grantCredit({ ...input, kind: "topup" }, savepoint));
    const { receiptUrl: _receipt, ...event } = input;
    await recordTopupEvent(tx, { ...event, balanceAfterMicros: entry.balanceAfterMicros, heldAfterMicros: entry.heldAfterMicros });
    return "credited";
  } catch (error) {
    if (isUniqueViolation(error, ONE_TOPUP_PER_PAYMENT)) return "already_credited";
    throw error;
  }
}

/** Whether an account id (from Stripe's metadata, say) names an account. */
export async function accountExists(tx: Transaction, accountId: string): Promise<boolean> {
  const [row] = await tx.select({ id: creditAccounts.id }).from(creditAccounts).where(eq(creditAccounts.id, accountId));
  return Boolean(row);
}

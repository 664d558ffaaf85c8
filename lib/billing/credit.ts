import "server-only";
import { withTransaction, type Transaction } from "@/db/client";
import { forgetAccountKeys } from "@/lib/auth/key-cache";
import { InsufficientCredits } from "@/lib/errors";
import { queueEmail } from "@/lib/email/outbox";
import { toUsd } from "@/lib/money";
import { insufficientCredits, recordMovement } from "./ledger";
import { checkLowBalance } from "./low-balance";

/**
 * Adds credit to an account: a `topup` (a payment; counts toward the tier) or an `adjustment`
 * (a grant or correction; may be negative, never below what is available). A top-up queues its
 * receipt email (with the payment's own receipt link, if it has one); credit back above the
 * low-balance threshold re-arms the alert.
 */
export async function grantCredit(
  input: {
    accountId: string;
    amountMicros: bigint;
    kind: "topup" | "adjustment";
    description?: string;
    paymentRef?: string;
    receiptUrl?: string | null;
  },
  outer?: Transaction,
) {
  if (input.kind === "topup" && input.amountMicros <= 0n) throw new Error("A top-up must be positive");
  if (input.amountMicros === 0n) throw new Error("A credit grant cannot be zero");
  const entry = await withTransaction(async (tx) => {
    const entry = await recordMovement(tx, {
      accountId: input.accountId,
      type: input.kind,
      amountMicros: input.amountMicros,
      description: input.description,
      paymentRef: input.paymentRef,
    });
    if (!entry) {
      const refusal = await insufficientCredits(tx, { accountId: input.accountId, requiredMicros: -input.amountMicros });
      throw new InsufficientCredits(refusal.needed, refusal.available, "The adjustment would take the account below its available credit.");
    }
    if (input.kind === "topup") {
      await queueEmail(tx, {
        accountId: input.accountId,
        kind: "receipt",
        data: {
          amountUsd: toUsd(input.amountMicros),
          balanceUsd: toUsd(entry.balanceAfterMicros),
          description: input.description ?? "Top-up",
          paymentRef: input.paymentRef ?? "",
          receiptUrl: input.receiptUrl ?? null,
        },
      });
    }
    await checkLowBalance(tx, { accountIds: [input.accountId], charged: [] });
    return entry;
  }, outer);
  // A top-up may raise the tier, which cached key lookups carry: this process's next request must
  // see it (other instances hear of it from the database when it commits).
  if (input.kind === "topup") forgetAccountKeys(input.accountId);
  return entry;
}

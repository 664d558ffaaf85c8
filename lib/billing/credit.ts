import "server-only";
import { withTransaction, type Transaction } from "@/db/client";
import { forgetAccountKeys } from "@/lib/auth/key-cache";
import { InsufficientCredits } from "@/lib/errors";
import { insufficientCredits, recordMovement } from "./ledger";

/**
 * Adds credit to an account: a `topup` (a payment; counts toward the tier) or an `adjustment`
 * (a grant or correction; may be negative, never below what is available).
 */
export async function grantCredit(
  input: {
    accountId: string;
    amountMicros: bigint;
    kind: "topup" | "adjustment";
    description?: string;
    paymentRef?: string;
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
    return entry;
  }, outer);
  // A top-up may raise the tier, which cached key lookups carry: this process's next request must
  // see it (other instances hear of it from the database when it commits).
  if (input.kind === "topup") forgetAccountKeys(input.accountId);
  return entry;
}

import "server-only";
import { ApiError, invalidRequest } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { grantCredit } from "./credit";
import { stripeConfigured } from "./stripe/client";
import { testCreditAllowed, topUpAmountProblem } from "./topup-rules";

// Credit without a payment, so a development or demo install can try top-ups and tiers with no
// Stripe account. It is a `topup` (it counts toward the tier, as a real one would) with a
// `test_` payment reference, so it is told apart from real money in the ledger at a glance.

/** Whether this server hands out test credit (topup-rules.ts has the rule). */
export function testCreditAllowedHere(): boolean {
  return testCreditAllowed({
    stripeConfigured: stripeConfigured(),
    nodeEnv: process.env.NODE_ENV,
    allowTestCredit: process.env.EASEL_ALLOW_TEST_CREDIT,
  });
}

export async function addTestCredit(input: { accountId: string; amountMicros: bigint }) {
  if (!testCreditAllowedHere()) {
    throw new ApiError(
      403,
      "test_credit_disabled",
      stripeConfigured()
        ? "Test credit is off while card payments are set up: top up with a card."
        : "Test credit is off in production; an operator can allow it with EASEL_ALLOW_TEST_CREDIT=1.",
    );
  }
  const problem = topUpAmountProblem(input.amountMicros);
  if (problem) throw invalidRequest("invalid_amount", problem, "amount");
  return grantCredit({
    accountId: input.accountId,
    amountMicros: input.amountMicros,
    kind: "topup",
    paymentRef: newId("test"),
    description: "Test credit (no payment)",
  });
}

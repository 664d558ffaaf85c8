import "server-only";
import { sql } from "drizzle-orm";
import { selectRows, withTransaction } from "@/db/client";
import { AccessDenied, invalidInput } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { formatUsd, parseUsd } from "@/lib/money";
import { grantCredit } from "./credit";
import { stripeConfigured } from "./stripe/client";
import { testCreditAllowed, topUpAmountProblem } from "./topup-rules";

// Credit without a payment, so a development or demo install can try top-ups with no Stripe
// account. It is an `adjustment`, not a `topup`: no money came in, so it never counts toward
// lifetime deposits and never raises the tier (tiers buy real throughput). Its `test_` payment
// reference tells it apart in the ledger at a glance. It is capped per account — per day and in
// total — so that an install that allows it does not hand out unlimited free generation.

/** EASEL_TEST_CREDIT_DAILY_USD (default 100) and EASEL_TEST_CREDIT_TOTAL_USD (default 500). */
export function testCreditCaps(): { dailyMicros: bigint; totalMicros: bigint } {
  const read = (name: string, fallback: bigint) => {
    const configured = process.env[name];
    if (configured === undefined || configured === "") return fallback;
    const micros = parseUsd(configured);
    if (micros === null || micros < 0n) throw new Error(`${name} must be a non-negative amount in USD, not ${configured}`);
    return micros;
  };
  return { dailyMicros: read("EASEL_TEST_CREDIT_DAILY_USD", 100_000_000n), totalMicros: read("EASEL_TEST_CREDIT_TOTAL_USD", 500_000_000n) };
}

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
    throw new AccessDenied(
      "test_credit_disabled",
      stripeConfigured()
        ? "Test credit is off while card payments are set up: top up with a card."
        : "Test credit is off in production; an operator can allow it with EASEL_ALLOW_TEST_CREDIT=1.",
    );
  }
  const problem = topUpAmountProblem(input.amountMicros);
  if (problem) throw invalidInput("invalid_amount", problem, "amount");
  const caps = testCreditCaps();

  return withTransaction(async (tx) => {
    // The account's row lock: two requests at once cannot both fit under the cap.
    await tx.execute(sql`select id from credit_accounts where id = ${input.accountId} for update`);
    const [given] = await selectRows<{ total: string | null; today: string | null }>(
      tx,
      sql`select sum(amount_micros) as total,
          sum(amount_micros) filter (where created_at > now() - interval '1 day') as today
        from ledger_entries
        where account_id = ${input.accountId} and type in ('topup', 'adjustment') and payment_ref like 'test\\_%'`,
    );
    const total = BigInt(given?.total ?? 0);
    const today = BigInt(given?.today ?? 0);
    if (total + input.amountMicros > caps.totalMicros) {
      throw new AccessDenied("test_credit_limit", `Test credit is capped at ${formatUsd(caps.totalMicros)} per account; ${formatUsd(maxZero(caps.totalMicros - total))} is left.`, "amount");
    }
    if (today + input.amountMicros > caps.dailyMicros) {
      throw new AccessDenied("test_credit_limit", `Test credit is capped at ${formatUsd(caps.dailyMicros)} a day; ${formatUsd(maxZero(caps.dailyMicros - today))} is left for the next 24 hours.`, "amount");
    }
    return grantCredit(
      {
        accountId: input.accountId,
        amountMicros: input.amountMicros,
        kind: "adjustment",
        paymentRef: newId("test"),
        description: "Test credit (no payment)",
      },
      tx,
    );
  });
}

const maxZero = (micros: bigint) => (micros > 0n ? micros : 0n);

import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts, users } from "@/db/schema";
import { invalidInput, NotFound } from "@/lib/errors";
import { microsToCents, topUpAmountProblem } from "@/lib/billing/topup-rules";
import { stripeClient } from "./client";

// A top-up is a Stripe Checkout Session: Stripe's hosted page takes the card; the webhook
// (webhook.ts) credits the account when Stripe reports the payment, never this code.

/**
 * Creates the Checkout Session for topping up `amountMicros` ($5–$1,000, whole cents). The
 * session names the account (`client_reference_id`, `metadata.account_id`) so the webhook knows
 * whom to credit, and saves the card for off-session use, so it can serve auto top-ups.
 */
export async function createTopUpCheckout(input: { accountId: string; amountMicros: bigint; origin: string }): Promise<{ url: string; id: string }> {
  const problem = topUpAmountProblem(input.amountMicros);
  if (problem) throw invalidInput("invalid_amount", problem, "amount");
  const origin = new URL(input.origin).origin;
  const stripe = stripeClient();
  const customer = await stripeCustomerFor(input.accountId);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: input.accountId,
    metadata: { account_id: input.accountId },
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: "usd",
          unit_amount: microsToCents(input.amountMicros),
          product_data: { name: "Easel credit", description: "Prepaid credit for image generation" },
        },
      },
    ],
    payment_intent_data: {
      setup_future_usage: "off_session",
      // `kind` tells the PaymentIntent webhooks that Checkout's own payments are not theirs.
      metadata: { kind: "checkout_topup", account_id: input.accountId },
    },
    success_url: `${origin}/billing/topup/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${origin}/billing/topup/canceled`,
  });
  if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a URL`);
  return { url: session.url, id: session.id };
}

/**
 * The account's Stripe customer, made on its first checkout. Two first checkouts at once make
 * one customer: Stripe replays the create for the same idempotency key, and only the first
 * store of the id wins.
 */
async function stripeCustomerFor(accountId: string): Promise<string> {
  const db = await getDb();
  const read = async () => {
    const [row] = await db
      .select({ customerId: creditAccounts.stripeCustomerId, email: users.email })
      .from(creditAccounts)
      .innerJoin(users, eq(users.id, creditAccounts.userId))
      .where(eq(creditAccounts.id, accountId));
    if (!row) throw new NotFound("account_not_found", "No such account.");
    return row;
  };
  const account = await read();
  if (account.customerId) return account.customerId;

  const customer = await stripeClient().customers.create(
    { email: account.email, metadata: { account_id: accountId } },
    { idempotencyKey: `easel-customer-${accountId}` },
  );
  const [stored] = await db
    .update(creditAccounts)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(creditAccounts.id, accountId), isNull(creditAccounts.stripeCustomerId)))
    .returning({ customerId: creditAccounts.stripeCustomerId });
  if (stored) return customer.id;
  return (await read()).customerId ?? customer.id;
}

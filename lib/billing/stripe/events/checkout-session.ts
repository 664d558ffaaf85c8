import "server-only";
import { saveAutoTopupPaymentMethod } from "@/lib/billing/auto-topup";
import { centsToMicros } from "@/lib/billing/topup-rules";
import type { Logger } from "@/lib/http/logger";
import { receiptUrlOf } from "../receipts";
import { stripeClient, stripeConfigured } from "../client";
import { accountExists, creditPaymentOnce } from "../payments";
import { idOf, parseStripeObject, type EventContext } from "./context";
import { checkoutSessionSchema } from "./objects";

// What the two "the session is paid" events share: checkout.session.completed (a card: paid at
// once) and checkout.session.async_payment_succeeded (a delayed method: paid later). Whichever
// arrives, and however often, the session is credited once: its id is the payment reference.

export async function settleCheckoutSession(
  object: unknown,
  ctx: EventContext,
  trigger: "completed" | "async_payment_succeeded",
): Promise<void> {
  const session = parseStripeObject(checkoutSessionSchema, object, "Checkout Session");
  const log = ctx.log.child({ checkout_session: session.id });
  const paid = trigger === "async_payment_succeeded" || session.payment_status === "paid";
  const accountId = session.client_reference_id ?? session.metadata.account_id ?? null;
  // Reads from Stripe, so before the transaction: no lock waits on the network.
  const { paymentMethodId, receiptUrl } = paid ? await paymentOf(idOf(session.payment_intent), log) : { paymentMethodId: null, receiptUrl: null };

  await ctx.once(async (tx) => {
    if (!accountId || !(await accountExists(tx, accountId))) {
      log.warn({ client_reference_id: accountId }, "checkout session names no account; nothing credited");
      return null;
    }
    if (!paid) {
      log.info({ account_id: accountId, payment_status: session.payment_status }, "checkout completed unpaid; credited when the payment succeeds");
      return accountId;
    }
    const amountMicros = centsToMicros(session.amount_total);
    if (session.mode !== "payment" || session.currency !== "usd" || !amountMicros) {
      log.error(
        { account_id: accountId, mode: session.mode, currency: session.currency, amount_total: session.amount_total },
        "checkout session is not a USD payment Easel can credit; credit or refund it by hand",
      );
      return accountId;
    }
    const result = await creditPaymentOnce(tx, {
      accountId,
      amountMicros,
      paymentRef: session.id,
      description: "Top-up (card, Stripe Checkout)",
      receiptUrl,
    });
    if (paymentMethodId) {
      await saveAutoTopupPaymentMethod(tx, { accountId, paymentMethodId, customerId: idOf(session.customer) });
    }
    log.info({ account_id: accountId, amount_micros: amountMicros.toString(), result }, "checkout session settled");
    return accountId;
  });
}

/** The card a checkout's PaymentIntent used (saved for off-session use) and its receipt, if Stripe says. */
async function paymentOf(paymentIntentId: string | null, log: Logger): Promise<{ paymentMethodId: string | null; receiptUrl: string | null }> {
  if (!paymentIntentId || !stripeConfigured()) return { paymentMethodId: null, receiptUrl: null };
  try {
    const intent = await stripeClient().paymentIntents.retrieve(paymentIntentId);
    return { paymentMethodId: idOf(intent.payment_method), receiptUrl: await receiptUrlOf(idOf(intent.latest_charge), log) };
  } catch (error) {
    // The credit does not wait on this: without the card, auto top-up keeps the previous one.
    log.warn({ err: error, payment_intent: paymentIntentId }, "could not read the checkout's payment method");
    return { paymentMethodId: null, receiptUrl: null };
  }
}

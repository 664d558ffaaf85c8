import "server-only";
import type Stripe from "stripe";
import { clearAutoTopupClaim } from "@/lib/billing/auto-topup";
import { centsToMicros } from "@/lib/billing/topup-rules";
import { accountExists, creditPaymentOnce } from "../payments";
import { receiptUrlOf } from "../receipts";
import { idOf, parseStripeObject, type EventContext } from "./context";
import { AUTO_TOPUP_KIND, paymentIntentSchema } from "./objects";

// payment_intent.succeeded — for auto top-ups only (metadata.kind "auto_topup"): credits the
// amount received, once per PaymentIntent, and clears the account's in-flight marker so a later
// charge can top up again. Checkout's own PaymentIntents are credited through their session.
export async function onPaymentIntentSucceeded(event: Stripe.PaymentIntentSucceededEvent, ctx: EventContext): Promise<void> {
  const intent = parseStripeObject(paymentIntentSchema, event.data.object, "PaymentIntent");
  if (intent.metadata.kind !== AUTO_TOPUP_KIND) return;
  const log = ctx.log.child({ payment_intent: intent.id });
  const accountId = intent.metadata.account_id ?? null;
  // A read from Stripe, so before the transaction: no lock waits on the network.
  const receiptUrl = await receiptUrlOf(idOf(intent.latest_charge), log);

  await ctx.once(async (tx) => {
    if (!accountId || !(await accountExists(tx, accountId))) {
      log.error({ account_id: accountId }, "auto top-up names no account; nothing credited — refund it");
      return null;
    }
    const amountMicros = centsToMicros(intent.amount_received ?? intent.amount);
    if (intent.currency !== "usd" || !amountMicros) {
      log.error(
        { account_id: accountId, currency: intent.currency, amount: intent.amount },
        "auto top-up is not a USD payment; credit or refund it by hand",
      );
    } else {
      const result = await creditPaymentOnce(tx, { accountId, amountMicros, paymentRef: intent.id, description: "Auto top-up (card)", receiptUrl });
      log.info({ account_id: accountId, amount_micros: amountMicros.toString(), result }, "auto top-up settled");
    }
    await clearAutoTopupClaim(tx, { accountId, refs: [intent.id, intent.metadata.claim ?? ""] });
    return accountId;
  });
}

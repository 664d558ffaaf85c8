import "server-only";
import type Stripe from "stripe";
import { clearAutoTopupClaim } from "@/lib/billing/auto-topup";
import { accountExists } from "../payments";
import { parseStripeObject, type EventContext } from "./context";
import { AUTO_TOPUP_KIND, paymentIntentSchema } from "./objects";

// payment_intent.payment_failed — for auto top-ups only: nothing is in flight any more, so the
// marker is cleared, and auto top-up pauses (see REFUSAL_PAUSE_MS) with the card's reason kept
// for the billing page. Logged, with that reason.
export async function onPaymentIntentPaymentFailed(event: Stripe.PaymentIntentPaymentFailedEvent, ctx: EventContext): Promise<void> {
  const intent = parseStripeObject(paymentIntentSchema, event.data.object, "PaymentIntent");
  if (intent.metadata.kind !== AUTO_TOPUP_KIND) return;
  const accountId = intent.metadata.account_id ?? null;

  await ctx.once(async (tx) => {
    if (!accountId || !(await accountExists(tx, accountId))) return null;
    const refusal = intent.last_payment_error?.message ?? "The bank refused the payment.";
    const cleared = await clearAutoTopupClaim(tx, { accountId, refs: [intent.id, intent.metadata.claim ?? ""], refusal });
    ctx.log.warn(
      {
        payment_intent: intent.id,
        account_id: accountId,
        code: intent.last_payment_error?.code,
        decline_code: intent.last_payment_error?.decline_code,
        message: intent.last_payment_error?.message,
        cleared,
      },
      "auto top-up payment failed",
    );
    return accountId;
  });
}

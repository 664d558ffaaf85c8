import "server-only";
import type Stripe from "stripe";
import { accountExists } from "../payments";
import { parseStripeObject, type EventContext } from "./context";
import { checkoutSessionSchema } from "./objects";

// checkout.session.async_payment_failed — a delayed payment did not clear. Nothing was
// credited for it, so nothing moves; the failure is logged for support.
export async function onCheckoutSessionAsyncPaymentFailed(
  event: Stripe.CheckoutSessionAsyncPaymentFailedEvent,
  ctx: EventContext,
): Promise<void> {
  const session = parseStripeObject(checkoutSessionSchema, event.data.object, "Checkout Session");
  const accountId = session.client_reference_id ?? session.metadata.account_id ?? null;
  await ctx.once(async (tx) => {
    const known = accountId !== null && (await accountExists(tx, accountId));
    ctx.log.warn({ checkout_session: session.id, account_id: accountId }, "a checkout's delayed payment failed; nothing was credited");
    return known ? accountId : null;
  });
}

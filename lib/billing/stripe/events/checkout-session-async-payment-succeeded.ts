import "server-only";
import type Stripe from "stripe";
import type { EventContext } from "./context";
import { settleCheckoutSession } from "./checkout-session";

// checkout.session.async_payment_succeeded — a delayed payment of a completed session cleared.
export function onCheckoutSessionAsyncPaymentSucceeded(
  event: Stripe.CheckoutSessionAsyncPaymentSucceededEvent,
  ctx: EventContext,
): Promise<void> {
  return settleCheckoutSession(event.data.object, ctx, "async_payment_succeeded");
}

import "server-only";
import type Stripe from "stripe";
import type { EventContext } from "./context";
import { settleCheckoutSession } from "./checkout-session";

// checkout.session.completed — the buyer finished Checkout. Credited only when
// `payment_status` is "paid"; a delayed method (a bank debit) is "unpaid" here and is credited
// by checkout.session.async_payment_succeeded.
export function onCheckoutSessionCompleted(event: Stripe.CheckoutSessionCompletedEvent, ctx: EventContext): Promise<void> {
  return settleCheckoutSession(event.data.object, ctx, "completed");
}

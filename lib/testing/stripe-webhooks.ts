// Builders for webhook tests: Stripe's event envelope around an object, signed as Stripe signs
// it (`generateTestHeaderString`), as the Request Stripe would send to /api/stripe/webhook.
import { randomBytes } from "node:crypto";
import Stripe from "stripe";

export const TEST_WEBHOOK_SECRET = "whsec_test_easel_webhooks";

const randomId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export type TestEvent = { id: string; object: "event"; type: string; data: { object: Record<string, unknown> } } & Record<string, unknown>;

/** An event as Stripe delivers it (snapshot payload, API version of the SDK). */
export function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string } = {}): TestEvent {
  return {
    id: options.id ?? randomId("evt_test"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** A Checkout Session as the completed events carry it: a one-off USD payment for an account. */
export function checkoutSession(input: {
  accountId: string | null;
  amountCents: number;
  paymentStatus?: "paid" | "unpaid" | "no_payment_required";
  id?: string;
  currency?: string;
  paymentIntent?: string | null;
}): Record<string, unknown> {
  return {
    id: input.id ?? randomId("cs_test"),
    object: "checkout.session",
    mode: "payment",
    status: "complete",
    payment_status: input.paymentStatus ?? "paid",
    amount_subtotal: input.amountCents,
    amount_total: input.amountCents,
    currency: input.currency ?? "usd",
    client_reference_id: input.accountId,
    customer: null,
    metadata: input.accountId ? { account_id: input.accountId } : {},
    payment_intent: input.paymentIntent === undefined ? randomId("pi") : input.paymentIntent,
    livemode: false,
  };
}

/** A PaymentIntent of an auto top-up, as its events carry it. */
export function autoTopupIntent(input: {
  accountId: string;
  amountCents: number;
  id?: string;
  claim?: string;
  status?: "succeeded" | "requires_payment_method";
}): Record<string, unknown> {
  const succeeded = (input.status ?? "succeeded") === "succeeded";
  return {
    id: input.id ?? randomId("pi"),
    object: "payment_intent",
    status: input.status ?? "succeeded",
    amount: input.amountCents,
    amount_received: succeeded ? input.amountCents : 0,
    currency: "usd",
    payment_method: "pm_card_visa",
    metadata: { kind: "auto_topup", account_id: input.accountId, ...(input.claim ? { claim: input.claim } : {}) },
    last_payment_error: succeeded ? null : { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
    livemode: false,
  };
}

/** The delivery Stripe makes: the raw JSON body and its `Stripe-Signature`. */
export function webhookRequest(event: TestEvent, options: { secret?: string; signature?: string | null } = {}): Request {
  const payload = JSON.stringify(event);
  const signature =
    options.signature === undefined
      ? Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? TEST_WEBHOOK_SECRET })
      : options.signature;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  return new Request("http://localhost:3000/api/stripe/webhook", { method: "POST", headers, body: payload });
}

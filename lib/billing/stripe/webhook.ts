import "server-only";
import Stripe from "stripe";
import { withTransaction } from "@/db/client";
import { ApiError, type ErrorBody } from "@/lib/http/errors";
import { logger } from "@/lib/http/logger";
import { claimStripeEvent, setStripeEventAccount } from "./event-log";
import { onCheckoutSessionAsyncPaymentFailed } from "./events/checkout-session-async-payment-failed";
import { onCheckoutSessionAsyncPaymentSucceeded } from "./events/checkout-session-async-payment-succeeded";
import { onCheckoutSessionCompleted } from "./events/checkout-session-completed";
import { UnexpectedStripeObject, type EventContext } from "./events/context";
import { onPaymentIntentPaymentFailed } from "./events/payment-intent-payment-failed";
import { onPaymentIntentSucceeded } from "./events/payment-intent-succeeded";

// Stripe's webhook: the raw body, verified against STRIPE_WEBHOOK_SECRET with `constructEvent`
// before anything reads it; an allowlist of event types, one handler file each under events/;
// each event processed once, its id recorded in the transaction of its effect.

/** The events Easel acts on: subscribe the endpoint to these (README). */
export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
] as const satisfies ReadonlyArray<Stripe.Event.Type>;

/** Stripe's events are small; anything bigger is not from Stripe. */
export const MAX_EVENT_BYTES = 512 * 1024;

/**
 * One delivery as the route hands it over: the Stripe-Signature header, and a way to read the
 * raw body (at most MAX_EVENT_BYTES) — called only once the server is configured to check it.
 */
export type WebhookDelivery = { signature: string | null; readPayload: () => Promise<Buffer> };

export type WebhookAnswer = { status: number; body: { received: true; ignored?: true } | ErrorBody };

/** Verifies, then processes, one delivery; the answer for Stripe (2xx: done, else: retry later). */
export async function receiveStripeWebhook(delivery: WebhookDelivery): Promise<WebhookAnswer> {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    logger.error("a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is unset; it is refused until it is set");
    return failure(new ApiError(503, "webhook_not_configured", "Stripe webhooks are not configured on this server: set STRIPE_WEBHOOK_SECRET."));
  }
  const signature = delivery.signature;
  if (!signature) return failure(new ApiError(400, "missing_signature", "The Stripe-Signature header is missing."));

  let event: Stripe.Event;
  try {
    // The signature covers the exact bytes sent: read them raw, parse nothing before checking.
    const payload = await delivery.readPayload();
    event = Stripe.webhooks.constructEvent(payload, signature, secret);
  } catch (error) {
    if (error instanceof ApiError) return failure(error);
    // The reason only: the payload and header of a forged request are not worth keeping.
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    logger.warn({ reason }, "a Stripe webhook with a bad signature was refused");
    return failure(new ApiError(400, "invalid_signature", "The Stripe-Signature header does not match the body."));
  }

  // Signed is not well-formed: the envelope is checked before any handler reads it.
  const envelope = event as unknown as { id?: unknown; type?: unknown; data?: { object?: unknown } | null } | null;
  if (typeof envelope?.id !== "string" || typeof envelope.type !== "string" || typeof envelope.data?.object !== "object" || envelope.data.object === null) {
    logger.error("a signed Stripe webhook without an event's id, type and data.object was refused");
    return failure(new ApiError(400, "invalid_event", "The body is not a Stripe event."));
  }

  const log = logger.child({ stripe_event: event.id, event_type: event.type });
  const ctx: EventContext = {
    log,
    once: (effect) =>
      withTransaction(async (tx) => {
        if (!(await claimStripeEvent(tx, event))) return false;
        const accountId = await effect(tx);
        if (accountId) await setStripeEventAccount(tx, { eventId: event.id, accountId });
        return true;
      }),
  };
  try {
    const handled = await dispatch(event, ctx);
    if (!handled) log.debug("Stripe event ignored: not on the allowlist");
    return { status: 200, body: handled ? { received: true } : { received: true, ignored: true } };
  } catch (error) {
    if (error instanceof UnexpectedStripeObject) {
      // Our input, not our outage: a 400, but logged as an error, as it needs a fix. Stripe
      // redelivers any non-2xx, so nothing is lost once the fix is deployed.
      log.error({ err: error }, "a Stripe event of an unexpected shape was refused; Stripe will redeliver it");
      return failure(new ApiError(400, "unexpected_event_shape", `Event ${event.id} does not have the shape this server reads.`));
    }
    // Unexpected (a database outage): nothing committed, so Stripe's redelivery will do the
    // work once the cause is fixed.
    log.error({ err: error }, "processing a Stripe event failed; Stripe will redeliver it");
    return failure(new ApiError(500, "internal_error", `Processing event ${event.id} failed; it will be retried.`));
  }
}

/** The allowlist: false for any event type not on it. */
async function dispatch(event: Stripe.Event, ctx: EventContext): Promise<boolean> {
  switch (event.type) {
    case "checkout.session.completed":
      await onCheckoutSessionCompleted(event, ctx);
      return true;
    case "checkout.session.async_payment_succeeded":
      await onCheckoutSessionAsyncPaymentSucceeded(event, ctx);
      return true;
    case "checkout.session.async_payment_failed":
      await onCheckoutSessionAsyncPaymentFailed(event, ctx);
      return true;
    case "payment_intent.succeeded":
      await onPaymentIntentSucceeded(event, ctx);
      return true;
    case "payment_intent.payment_failed":
      await onPaymentIntentPaymentFailed(event, ctx);
      return true;
    default:
      return false;
  }
}

function failure(error: ApiError): WebhookAnswer {
  return { status: error.status, body: error.toJSON() };
}

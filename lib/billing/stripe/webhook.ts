import "server-only";
import Stripe from "stripe";
import { withTransaction } from "@/db/client";
import { InvalidInput, NotConfigured, TemporarilyUnavailable } from "@/lib/errors";
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

/** What Stripe is told of a delivery it should not send again: processed, or not one we act on. */
export type WebhookReceipt = { received: true; ignored?: true };

/**
 * Verifies, then processes, one delivery. Throws when Stripe should send it again later: a bad
 * signature or shape (InvalidInput), no secret set (NotConfigured), an outage of ours
 * (TemporarilyUnavailable) — Stripe redelivers every answer that is not a 2xx.
 */
export async function receiveStripeWebhook(delivery: WebhookDelivery): Promise<WebhookReceipt> {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    logger.error("a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is unset; it is refused until it is set");
    throw new NotConfigured("webhook_not_configured", "Stripe webhooks are not configured on this server: set STRIPE_WEBHOOK_SECRET.");
  }
  const signature = delivery.signature;
  if (!signature) throw new InvalidInput("missing_signature", "The Stripe-Signature header is missing.");

  // The signature covers the exact bytes sent: read them raw, parse nothing before checking.
  const payload = await delivery.readPayload(); // refuses a body that is too large
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(payload, signature, secret);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) {
      throw new InvalidInput("invalid_event", "The body is not a Stripe event."); // signed, but not JSON
    }
    // The reason only: the payload and header of a forged request are not worth keeping.
    logger.warn({ reason: error.message.split("\n")[0] }, "a Stripe webhook with a bad signature was refused");
    throw new InvalidInput("invalid_signature", "The Stripe-Signature header does not match the body.");
  }

  // Signed is not well-formed: the envelope is checked before any handler reads it (its id is
  // recorded as text, which cannot hold a NUL character).
  const envelope = event as unknown as { id?: unknown; type?: unknown; data?: { object?: unknown } | null } | null;
  const wellFormedId = typeof envelope?.id === "string" && !envelope.id.includes("\u0000");
  if (!wellFormedId || typeof envelope.type !== "string" || typeof envelope.data?.object !== "object" || envelope.data.object === null) {
    logger.error("a signed Stripe webhook without an event's id, type and data.object was refused");
    throw new InvalidInput("invalid_event", "The body is not a Stripe event.");
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
    return handled ? { received: true } : { received: true, ignored: true };
  } catch (error) {
    if (error instanceof UnexpectedStripeObject) {
      // Our input, not our outage: a 400, but logged as an error, as it needs a fix. Stripe
      // redelivers any non-2xx, so nothing is lost once the fix is deployed.
      log.error({ err: error }, "a Stripe event of an unexpected shape was refused; Stripe will redeliver it");
      throw new InvalidInput("unexpected_event_shape", `Event ${event.id} does not have the shape this server reads.`);
    }
    // Unexpected (a database outage): nothing committed, so Stripe's redelivery will do the
    // work once the cause is fixed.
    log.error({ err: error }, "processing a Stripe event failed; Stripe will redeliver it");
    throw new TemporarilyUnavailable("event_not_processed", `Processing event ${event.id} failed; it will be retried.`);
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

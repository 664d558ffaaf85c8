import { z } from "zod";

// The fields of Stripe's objects that the event handlers read, and nothing else.

/**
 * Text as Stripe sends it: never with a NUL character, which Postgres cannot store or compare,
 * so that such a field is an unexpected shape (400), not a failed transaction (503, redelivered
 * for ever).
 */
const stripeText = z.string().refine((value) => !value.includes("\u0000"), "contains a NUL character");

const reference = z.union([stripeText, z.object({ id: stripeText })]).nullish();
const metadata = z
  .record(stripeText, stripeText)
  .nullish()
  .transform((value) => value ?? {});

export const checkoutSessionSchema = z.object({
  id: stripeText.startsWith("cs_"),
  mode: stripeText,
  payment_status: stripeText,
  /** Integer cents (null for sessions without a total). */
  amount_total: z.number().nullable(),
  currency: stripeText.nullable(),
  client_reference_id: stripeText.nullish(),
  customer: reference,
  payment_intent: reference,
  metadata,
});
export type CheckoutSessionFields = z.infer<typeof checkoutSessionSchema>;

export const paymentIntentSchema = z.object({
  id: stripeText.startsWith("pi_"),
  status: stripeText,
  amount: z.number(),
  amount_received: z.number().nullish(),
  currency: stripeText,
  payment_method: reference,
  latest_charge: reference,
  metadata,
  last_payment_error: z
    .object({ code: stripeText.nullish(), decline_code: stripeText.nullish(), message: stripeText.nullish() })
    .nullish(),
});
export type PaymentIntentFields = z.infer<typeof paymentIntentSchema>;

/** What Easel puts in `metadata.kind` of the PaymentIntents it makes itself (auto-topup.ts). */
export const AUTO_TOPUP_KIND = "auto_topup";

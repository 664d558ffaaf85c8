import { z } from "zod";

// The fields of Stripe's objects that the event handlers read, and nothing else.

const reference = z.union([z.string(), z.object({ id: z.string() })]).nullish();
const metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((value) => value ?? {});

export const checkoutSessionSchema = z.object({
  id: z.string().startsWith("cs_"),
  mode: z.string(),
  payment_status: z.string(),
  /** Integer cents (null for sessions without a total). */
  amount_total: z.number().nullable(),
  currency: z.string().nullable(),
  client_reference_id: z.string().nullish(),
  customer: reference,
  payment_intent: reference,
  metadata,
});
export type CheckoutSessionFields = z.infer<typeof checkoutSessionSchema>;

export const paymentIntentSchema = z.object({
  id: z.string().startsWith("pi_"),
  status: z.string(),
  amount: z.number(),
  amount_received: z.number().nullish(),
  currency: z.string(),
  payment_method: reference,
  latest_charge: reference,
  metadata,
  last_payment_error: z
    .object({ code: z.string().nullish(), decline_code: z.string().nullish(), message: z.string().nullish() })
    .nullish(),
});
export type PaymentIntentFields = z.infer<typeof paymentIntentSchema>;

/** What Easel puts in `metadata.kind` of the PaymentIntents it makes itself (auto-topup.ts). */
export const AUTO_TOPUP_KIND = "auto_topup";

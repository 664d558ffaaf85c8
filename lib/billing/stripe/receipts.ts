import "server-only";
import type { Logger } from "@/lib/http/logger";
import { stripeClient, stripeConfigured } from "./client";

/** The receipt Stripe hosts for a charge, for the top-up's email; null when there is none or Stripe does not say. */
export async function receiptUrlOf(chargeId: string | null, log: Logger): Promise<string | null> {
  if (!chargeId || !stripeConfigured()) return null;
  try {
    const charge = await stripeClient().charges.retrieve(chargeId);
    return charge.receipt_url ?? null;
  } catch (error) {
    // The credit and its receipt email do not wait on this; the email goes without the link.
    log.warn({ err: error, charge: chargeId }, "could not read the charge's receipt");
    return null;
  }
}

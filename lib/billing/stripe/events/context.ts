import "server-only";
import type { ZodType } from "zod";
import type { Transaction } from "@/db/client";
import type { Logger } from "@/lib/http/logger";

/** What webhook.ts gives each event's handler. */
export type EventContext = {
  /** The log, with the event's id and type on every line. */
  log: Logger;
  /**
   * Runs `effect` in one transaction with the event's record (stripe_events), unless the event
   * was processed before: then nothing runs and this returns false. `effect` returns the id of
   * the (existing) account the event was about, or null.
   */
  once: (effect: (tx: Transaction) => Promise<string | null>) => Promise<boolean>;
};

/** A signed event whose object is not of the shape this code reads; nothing was committed. */
export class UnexpectedStripeObject extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnexpectedStripeObject";
  }
}

/**
 * A Stripe object checked against the fields Easel reads. The signature proves the event came
 * from Stripe, not that its shape is the one this code expects (another API version, say):
 * a mismatch throws UnexpectedStripeObject, the webhook answers 400 and logs it as an error,
 * and Stripe (which retries any non-2xx) redelivers after the fix is deployed.
 */
export function parseStripeObject<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new UnexpectedStripeObject(`Unexpected ${what} from Stripe: ${issues}`);
  }
  return parsed.data;
}

/** An expandable reference's id (Stripe sends an id, or the object when expanded). */
export function idOf(reference: string | { id: string } | null | undefined): string | null {
  if (!reference) return null;
  return typeof reference === "string" ? reference : reference.id;
}

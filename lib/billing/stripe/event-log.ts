import "server-only";
import { desc, eq } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { stripeEvents, type StripeEvent } from "@/db/schema";

// The record of processed Stripe events, by id: what makes a redelivery (Stripe retries, and may
// deliver one event twice at once) do nothing. An event's row is written in the transaction of
// its effect, so the two commit together or not at all.

/**
 * Records an event as processed, first thing in its transaction. False when it already was:
 * the caller stops. A concurrent delivery of the same event waits here on the primary key until
 * the first commits (then gets false) or rolls back (then gets true and does the work).
 */
export async function claimStripeEvent(tx: Transaction, event: { id: string; type: string }): Promise<boolean> {
  const rows = await tx
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type })
    .onConflictDoNothing({ target: stripeEvents.id })
    .returning({ id: stripeEvents.id });
  return rows.length === 1;
}

/** Notes which account an event was about, once the handler has found it. */
export async function setStripeEventAccount(tx: Transaction, input: { eventId: string; accountId: string }): Promise<void> {
  await tx.update(stripeEvents).set({ accountId: input.accountId }).where(eq(stripeEvents.id, input.eventId));
}

/** Processed events, newest first: of one account, or one event by id. */
export async function listStripeEvents(input: { accountId?: string; eventId?: string }): Promise<StripeEvent[]> {
  const db = await getDb();
  const where = input.eventId ? eq(stripeEvents.id, input.eventId) : input.accountId ? eq(stripeEvents.accountId, input.accountId) : undefined;
  if (!where) throw new Error("Name an account or an event");
  return db.select().from(stripeEvents).where(where).orderBy(desc(stripeEvents.receivedAt));
}

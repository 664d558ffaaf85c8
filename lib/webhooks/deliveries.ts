import "server-only";
import { and, asc, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from "@/db/schema";
import { deliveryNotFound, WebhookConflict } from "./errors";
import { isDeliveryId } from "./schemas";

// The delivery log: every delivery of the account's events, each with its attempts, and
// redelivery. Scoped to the account: another account's delivery is, to this caller, not found.

export type DeliveryRow = WebhookDelivery & { eventType: string; attemptLog: WebhookAttempt[] };

export type DeliveryFilter = {
  accountId: string;
  endpointId?: string;
  eventType?: string;
  status?: WebhookDeliveryStatus;
  /** The last id of the previous page: this page starts after it. */
  cursor?: string;
  limit: number;
};

/** The account's deliveries, newest first (ids sort by their event's time), with their attempts. */
export async function listDeliveries(filter: DeliveryFilter): Promise<{ deliveries: DeliveryRow[]; nextCursor: string | null }> {
  const conditions: SQL[] = [eq(webhookDeliveries.accountId, filter.accountId)];
  if (filter.endpointId) conditions.push(eq(webhookDeliveries.endpointId, filter.endpointId));
  if (filter.eventType) conditions.push(eq(webhookEvents.type, filter.eventType));
  if (filter.status) conditions.push(eq(webhookDeliveries.status, filter.status));
  if (filter.cursor) conditions.push(lt(webhookDeliveries.id, filter.cursor));
  const db = await getDb();
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const attempts = await attemptsOf(page.map((row) => row.delivery.id));
  return {
    deliveries: page.map((row) => ({ ...row.delivery, eventType: row.eventType, attemptLog: attempts.get(row.delivery.id) ?? [] })),
    nextCursor: rows.length > filter.limit ? page[page.length - 1]!.delivery.id : null,
  };
}

/** One delivery with every attempt, or 404. */
export async function getDelivery(input: { accountId: string; deliveryId: string }): Promise<DeliveryRow> {
  if (!isDeliveryId(input.deliveryId)) throw deliveryNotFound();
  const db = await getDb();
  const [row] = await db
    .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.accountId, input.accountId)));
  if (!row) throw deliveryNotFound();
  const attempts = await attemptsOf([row.delivery.id]);
  return { ...row.delivery, eventType: row.eventType, attemptLog: attempts.get(row.delivery.id) ?? [] };
}

async function attemptsOf(deliveryIds: string[]): Promise<Map<string, WebhookAttempt[]>> {
  const byDelivery = new Map<string, WebhookAttempt[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, deliveryIds))
    .orderBy(asc(webhookAttempts.id));
  for (const row of rows) byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row]);
  return byDelivery;
}

/**
 * Makes a delivery due now, whatever its state: one more attempt, with the same webhook-id (the
 * event's), so a receiver that already has it can tell. If that attempt fails, the retry
 * schedule continues from where the delivery was (a delivery that had run out fails again).
 */
export async function redeliver(input: { accountId: string; deliveryId: string }): Promise<DeliveryRow> {
  const current = await getDelivery(input);
  if (current.endpointId) {
    const db = await getDb();
    const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, current.endpointId));
    if (!endpoint || endpoint.deletedAt) throw new WebhookConflict("webhook_endpoint_deleted", "The delivery's endpoint was deleted.");
    if (!endpoint.enabled) {
      throw new WebhookConflict("webhook_endpoint_disabled", "The delivery's endpoint is disabled; enable it (PATCH enabled: true) first.");
    }
  }
  await withTransaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()` })
      .where(and(eq(webhookDeliveries.id, current.id), eq(webhookDeliveries.accountId, input.accountId)));
    // An update does not fire the insert trigger: wake the deliverers ourselves, at commit.
    await tx.execute(sql`select pg_notify('easel_webhooks', '')`);
  });
  return getDelivery(input);
}

import "server-only";
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { newId } from "@/lib/ids";
import { webhookConfig } from "./config";
import { endpointNotFound, WebhookConflict } from "./errors";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./events";
import { recordEvents } from "./outbox";
import { isEndpointId } from "./schemas";
import { newSigningSecret } from "./signing";
import { checkWebhookUrl, type Lookup } from "./url-policy";

// An account's webhook endpoints: where its events go. Every function is scoped to the
// account: another account's endpoint is, to this caller, not found.

/** Endpoints an account may have at once. */
export const MAX_ENDPOINTS = 20;

/** One of the account's endpoints (not deleted), or 404. */
export async function getEndpoint(input: { accountId: string; endpointId: string }): Promise<WebhookEndpoint> {
  if (!isEndpointId(input.endpointId)) throw endpointNotFound();
  const db = await getDb();
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, input.endpointId), eq(webhookEndpoints.accountId, input.accountId), isNull(webhookEndpoints.deletedAt)));
  if (!endpoint) throw endpointNotFound();
  return endpoint;
}

export async function listEndpoints(input: { accountId: string }): Promise<WebhookEndpoint[]> {
  const db = await getDb();
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.accountId, input.accountId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(asc(webhookEndpoints.createdAt));
}

export type EndpointInput = { url: string; description?: string; eventTypes?: readonly WebhookEventType[] };

/** Registers an endpoint (its URL checked, DNS included) and returns it with its secret, shown this once. */
export async function createEndpoint(
  input: { accountId: string } & EndpointInput,
  options: { lookup?: Lookup } = {},
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = await checkWebhookUrl(input.url, "url", options.lookup);
  const secret = newSigningSecret();
  return withTransaction(async (tx) => {
    // A plain count: two creations racing may pass the cap by one, which is harmless.
    const [existing] = await tx
      .select({ n: count() })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.accountId, input.accountId), isNull(webhookEndpoints.deletedAt)));
    if ((existing?.n ?? 0) >= MAX_ENDPOINTS) {
      throw new WebhookConflict("too_many_webhook_endpoints", `An account may have at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`);
    }
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({
        id: newId("whe"),
        accountId: input.accountId,
        url,
        description: input.description ?? "",
        eventTypes: [...new Set(input.eventTypes ?? WEBHOOK_EVENT_TYPES)],
        secret,
      })
      .returning();
    return { endpoint: endpoint!, secret };
  });
}

/**
 * Changes an endpoint. `enabled: true` re-enables one disabled (by a 410 or by hand) and clears
 * the reason; its deliveries still pending resume.
 */
export async function updateEndpoint(
  input: { accountId: string; endpointId: string } & Partial<EndpointInput> & { enabled?: boolean },
  options: { lookup?: Lookup } = {},
): Promise<WebhookEndpoint> {
  await getEndpoint(input);
  const url = input.url === undefined ? undefined : await checkWebhookUrl(input.url, "url", options.lookup);
  const db = await getDb();
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({
      ...(url !== undefined ? { url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
      ...(input.enabled === true ? { enabled: true, disabledAt: null, disabledReason: null } : {}),
      ...(input.enabled === false ? { enabled: false, disabledAt: sql`now()`, disabledReason: "Disabled by its owner." } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookEndpoints.id, input.endpointId), eq(webhookEndpoints.accountId, input.accountId), isNull(webhookEndpoints.deletedAt)))
    .returning();
  if (!endpoint) throw endpointNotFound();
  return endpoint;
}

/** Deletes an endpoint; its deliveries still pending fail, and its log stays readable. */
export async function deleteEndpoint(input: { accountId: string; endpointId: string }): Promise<void> {
  await getEndpoint(input);
  await withTransaction(async (tx) => {
    const deleted = await tx
      .update(webhookEndpoints)
      .set({ deletedAt: sql`now()`, enabled: false, updatedAt: sql`now()` })
      .where(and(eq(webhookEndpoints.id, input.endpointId), eq(webhookEndpoints.accountId, input.accountId), isNull(webhookEndpoints.deletedAt)))
      .returning({ id: webhookEndpoints.id });
    if (deleted.length === 0) throw endpointNotFound();
    await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "The endpoint was deleted.", leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(webhookDeliveries.endpointId, input.endpointId), eq(webhookDeliveries.status, "pending")));
  });
}

/**
 * A new secret for the endpoint, shown this once. The previous one keeps signing too (two
 * signatures per delivery) for the overlap — 24 h by default — so receivers can switch over.
 */
export async function rotateSecret(input: { accountId: string; endpointId: string }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const current = await getEndpoint(input);
  const secret = newSigningSecret();
  const overlapMs = webhookConfig().rotationOverlapMs;
  const db = await getDb();
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({
      secret,
      previousSecret: current.secret,
      previousSecretExpiresAt: sql`now() + ${Math.round(overlapMs)}::int * interval '1 millisecond'`,
      updatedAt: sql`now()`,
    })
    // The secret read above: of two racing rotations, one wins and the other is told so.
    .where(and(eq(webhookEndpoints.id, current.id), eq(webhookEndpoints.secret, current.secret)))
    .returning();
  if (!endpoint) throw new WebhookConflict("rotation_conflict", "The secret was rotated by another request just now; rotate again if you need another.");
  return { endpoint, secret };
}

/** Sends `webhook.test` to this endpoint alone, whatever it subscribes to. Returns the event's id. */
export async function sendTestEvent(input: { accountId: string; endpointId: string }): Promise<{ eventId: string }> {
  const endpoint = await getEndpoint(input);
  if (!endpoint.enabled) {
    throw new WebhookConflict("webhook_endpoint_disabled", "The endpoint is disabled; enable it (PATCH enabled: true) to send to it.");
  }
  const [eventId] = await withTransaction((tx) =>
    recordEvents(tx, [
      {
        accountId: input.accountId,
        type: TEST_EVENT_TYPE,
        onlyEndpointId: endpoint.id,
        data: { object: "webhook.test", endpoint_id: endpoint.id, message: "A test event from Easel. Your endpoint is reachable." },
      },
    ]),
  );
  if (!eventId) throw endpointNotFound();
  return { eventId };
}

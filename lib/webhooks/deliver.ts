import "server-only";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import { jobs, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookDelivery } from "@/db/schema";
import { crashPoint } from "@/lib/jobs/crash-points";
import { presentJob } from "@/lib/jobs/present";
import { createSafePoster, SafePostError, type SafePoster } from "@/lib/net/safe-post";
import { parseRetryAfter, retryDelayMs, type WebhookConfig } from "./config";
import { accountSigningSecret, endpointSecrets } from "./secrets";
import { signedHeaders } from "./signing";

// One delivery attempt: claim due deliveries (SKIP LOCKED and a lease, as jobs are claimed),
// build the payload, sign it, POST it through the SSRF-safe poster, and record the attempt and
// what follows from it — delivered, retried later, failed, or the endpoint disabled (410).

const leaseUntil = (ms: number) => sql`now() + ${Math.round(ms)}::int * interval '1 millisecond'`;
/** Kept of an answer's body in the log. */
export const RESPONSE_BYTES_KEPT = 1024;

/**
 * Claims up to `limit` deliveries that are due: pending, their time come, not leased (or the
 * lease ran out: the deliverer holding it died), to an endpoint that is enabled.
 */
export async function claimDeliveries(input: { workerId: string; limit: number; leaseMs: number }): Promise<WebhookDelivery[]> {
  const db = await getDb();
  const free = or(isNull(webhookDeliveries.leaseExpiresAt), lt(webhookDeliveries.leaseExpiresAt, sql`now()`));
  const due = and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, sql`now()`), free);
  const next = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(due, or(isNull(webhookDeliveries.endpointId), and(eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)))))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(input.limit)
    .for("update", { of: webhookDeliveries, skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ leaseOwner: input.workerId, leaseExpiresAt: leaseUntil(input.leaseMs) })
    .where(and(inArray(webhookDeliveries.id, next), due))
    .returning();
}

export type AttemptResult = { outcome: "delivered" | "retrying" | "failed" | "disabled" | "skipped"; statusCode: number | null; error: string | null };

export type DeliveryDeps = {
  config: WebhookConfig;
  workerId: string;
  /** The POST; the SSRF-safe one by default. Tests inject one with a fake DNS. */
  post?: SafePoster;
  /** The origin of image URLs in job payloads. */
  origin?: string;
};

/** The message as sent: `{id, type, created_at, data}`, job objects with fresh image URLs. */
export async function buildPayload(eventId: string, origin: string): Promise<{ body: string; accountId: string } | null> {
  const db = await getDb();
  const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  if (!event) return null;
  let data = event.data;
  if (event.jobId && data.status === "succeeded") {
    const [job] = await db.select().from(jobs).where(eq(jobs.id, event.jobId));
    if (job) data = { ...data, images: (await presentJob(job, origin)).images };
  }
  const body = JSON.stringify({ id: event.id, type: event.type, created_at: event.createdAt.toISOString(), data });
  return { body, accountId: event.accountId };
}

/** Attempts one claimed delivery and records what came of it. Never throws for the receiver's faults. */
export async function attemptDelivery(delivery: WebhookDelivery, deps: DeliveryDeps): Promise<AttemptResult> {
  const db = await getDb();
  const endpoint = delivery.endpointId
    ? (await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, delivery.endpointId)))[0]
    : undefined;
  const url = endpoint?.url ?? delivery.url;
  const payload = await buildPayload(delivery.eventId, deps.origin ?? defaultOrigin());
  if (!url || !payload || (delivery.endpointId && !endpoint)) {
    await finishAttempt(delivery, deps, { url: url ?? "", startedAt: new Date(), durationMs: 0, statusCode: null, body: null, error: "Nothing to deliver: the event or its receiver is gone." }, "failed");
    return { outcome: "failed", statusCode: null, error: "gone" };
  }

  const secrets = endpoint ? endpointSecrets(endpoint) : [accountSigningSecret(delivery.accountId)];
  const startedAt = new Date();
  const headers = signedHeaders({ id: delivery.eventId, timestamp: Math.floor(startedAt.getTime() / 1000), body: payload.body, secrets });
  const post =
    deps.post ??
    createSafePoster({ allowPrivate: deps.config.allowPrivate, timeoutMs: deps.config.timeoutMs, maxResponseBytes: RESPONSE_BYTES_KEPT });
  const started = performance.now();
  let statusCode: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  let retryAfterMs: number | null = null;
  try {
    const answer = await post(url, { headers, body: payload.body });
    statusCode = answer.status;
    responseBody = answer.body.slice(0, RESPONSE_BYTES_KEPT);
    const retryAfter = answer.headers["retry-after"];
    retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    if (statusCode >= 300 && statusCode < 400) error = `Redirects are not followed (HTTP ${statusCode}${answer.headers.location ? ` to ${answer.headers.location}` : ""}).`;
  } catch (caught) {
    error = caught instanceof SafePostError ? caught.message : "The request failed inside Easel.";
  }
  const durationMs = Math.round(performance.now() - started);
  crashPoint("in-webhook-delivery");

  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const gone = statusCode === 410;
  const failures = delivery.attempts + 1;
  const delay = ok || gone ? null : retryDelayMs(failures, deps.config.retryScheduleMs, { retryAfterMs });
  const outcome: AttemptResult["outcome"] = ok ? "delivered" : gone ? (endpoint ? "disabled" : "failed") : delay === null ? "failed" : "retrying";
  const attempt = { url, startedAt, durationMs, statusCode, body: responseBody, error };
  const recorded = await finishAttempt(delivery, deps, attempt, outcome, delay);
  return { outcome: recorded ? outcome : "skipped", statusCode, error };
}

type AttemptRecord = { url: string; startedAt: Date; durationMs: number; statusCode: number | null; body: string | null; error: string | null };

/**
 * Logs the attempt and moves the delivery on, in one transaction. The update names the lease
 * this deliverer holds: if it lost the delivery meanwhile (a lease that ran out), the attempt
 * is still logged but the delivery is left to its new holder. Returns whether it moved it.
 */
async function finishAttempt(
  delivery: WebhookDelivery,
  deps: DeliveryDeps,
  attempt: AttemptRecord,
  outcome: AttemptResult["outcome"],
  delayMs: number | null = null,
): Promise<boolean> {
  return withTransaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      startedAt: attempt.startedAt,
      durationMs: attempt.durationMs,
      url: attempt.url,
      statusCode: attempt.statusCode,
      responseBody: attempt.body,
      error: attempt.error,
    });
    const moved = await tx
      .update(webhookDeliveries)
      .set({
        status: outcome === "delivered" ? "succeeded" : outcome === "retrying" ? "pending" : "failed",
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        nextAttemptAt: outcome === "retrying" ? sql`now() + ${Math.round(delayMs ?? 0)}::int * interval '1 millisecond'` : sql`${webhookDeliveries.nextAttemptAt}`,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error ?? (outcome === "delivered" ? null : `HTTP ${attempt.statusCode}`),
        deliveredAt: outcome === "delivered" ? sql`now()` : sql`${webhookDeliveries.deliveredAt}`,
      })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.leaseOwner, deps.workerId), eq(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id });
    if (moved.length > 0 && outcome === "disabled" && delivery.endpointId) {
      await tx
        .update(webhookEndpoints)
        .set({ enabled: false, disabledAt: sql`now()`, disabledReason: "The endpoint answered 410 Gone.", updatedAt: sql`now()` })
        .where(eq(webhookEndpoints.id, delivery.endpointId));
    }
    return moved.length > 0;
  });
}

/** Where clients reach this server, for image URLs in payloads: EASEL_PUBLIC_URL, or this machine. */
export function defaultOrigin(): string {
  const configured = process.env.EASEL_PUBLIC_URL;
  return configured ? new URL(configured).origin : `http://localhost:${process.env.PORT ?? 3000}`;
}

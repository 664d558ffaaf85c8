import type { WebhookAttempt, WebhookEndpoint } from "@/db/schema";
import type { DeliveryRow } from "./deliveries";

// The API's webhook objects. The secret appears only in the answer that made it.

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function endpointJson(endpoint: WebhookEndpoint, now = new Date()) {
  const rotating = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? endpoint.previousSecretExpiresAt : null;
  return {
    id: endpoint.id,
    object: "webhook_endpoint" as const,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    status: endpoint.enabled ? ("enabled" as const) : ("disabled" as const),
    disabled_reason: endpoint.enabled ? null : endpoint.disabledReason,
    disabled_at: endpoint.enabled ? null : iso(endpoint.disabledAt),
    /** Until then, deliveries carry a second signature made with the previous secret. */
    previous_secret_expires_at: iso(rotating),
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function attemptJson(attempt: WebhookAttempt) {
  return {
    started_at: attempt.startedAt.toISOString(),
    duration_ms: attempt.durationMs,
    url: attempt.url,
    status_code: attempt.statusCode,
    /** The first bytes (up to 1 KiB) of the receiver's answer. */
    response_body: attempt.responseBody,
    error: attempt.error,
  };
}

export function deliveryJson(delivery: DeliveryRow) {
  return {
    id: delivery.id,
    object: "webhook_delivery" as const,
    /** The event's id: the `webhook-id` header of every attempt, retries and redeliveries alike. */
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    endpoint_id: delivery.endpointId,
    /** A job's own webhook_url; null for an endpoint's delivery (its URL is the endpoint's). */
    url: delivery.url,
    status: delivery.status,
    attempt_count: delivery.attempts,
    next_attempt_at: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    delivered_at: iso(delivery.deliveredAt),
    created_at: delivery.createdAt.toISOString(),
    attempts: delivery.attemptLog.map(attemptJson),
  };
}

export type WebhookEndpointObject = ReturnType<typeof endpointJson>;
export type WebhookDeliveryObject = ReturnType<typeof deliveryJson>;
export type WebhookAttemptObject = ReturnType<typeof attemptJson>;

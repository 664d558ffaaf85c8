import type { WebhookAttempt, WebhookEndpoint } from "@/db/schema";
import type { DeliveryRow } from "./deliveries";
import { isWebhookEventType, type AnyEventType } from "./events";
import type { WebhookAttemptObject, WebhookDeliveryObject, WebhookEndpointObject } from "./schemas";

// The API's webhook objects, typed by their response schemas (schemas.ts). The secret appears
// only in the answer that made it (the routes add it).

export type { WebhookAttemptObject, WebhookDeliveryObject, WebhookEndpointObject };

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function endpointJson(endpoint: WebhookEndpoint, now = new Date()): WebhookEndpointObject {
  const rotating = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? endpoint.previousSecretExpiresAt : null;
  return {
    id: endpoint.id,
    object: "webhook_endpoint",
    url: endpoint.url,
    description: endpoint.description,
    // Stored only from validated input; the filter keeps the answer to the documented types.
    event_types: endpoint.eventTypes.filter(isWebhookEventType),
    status: endpoint.enabled ? "enabled" : "disabled",
    disabled_reason: endpoint.enabled ? null : endpoint.disabledReason,
    disabled_at: endpoint.enabled ? null : iso(endpoint.disabledAt),
    previous_secret_expires_at: iso(rotating),
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function attemptJson(attempt: WebhookAttempt): WebhookAttemptObject {
  return {
    started_at: attempt.startedAt.toISOString(),
    duration_ms: attempt.durationMs,
    url: attempt.url,
    status_code: attempt.statusCode,
    response_body: attempt.responseBody,
    error: attempt.error,
  };
}

export function deliveryJson(delivery: DeliveryRow): WebhookDeliveryObject {
  return {
    id: delivery.id,
    object: "webhook_delivery",
    event_id: delivery.eventId,
    // Events are written only by recordEvents, whose types are these.
    event_type: delivery.eventType as AnyEventType,
    endpoint_id: delivery.endpointId,
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

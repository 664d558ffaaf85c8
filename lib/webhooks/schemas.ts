// The webhook API's shapes on the wire, in zod: the endpoint bodies and the delivery log's query
// (these validate), and the endpoint, delivery, secret and test-event objects the routes answer
// with (present.ts is typed by them). The OpenAPI document (lib/webhooks/openapi.ts) is
// generated from both. Pure: no database, no HTTP.
import * as z from "zod";
import type { WebhookDeliveryStatus } from "@/db/schema";
import { pageLimit } from "@/lib/jobs/schemas";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "./events";

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const satisfies readonly WebhookDeliveryStatus[];
/** Every event a delivery may carry: the subscribable ones and the test event. */
export const ANY_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] as const;

const ENDPOINT_ID = /^whe_[0-9a-z]{26}$/;
const DELIVERY_ID = /^whd_[0-9a-z]{26}\d{3}$/;
export const isEndpointId = (id: string) => ENDPOINT_ID.test(id);
export const isDeliveryId = (id: string) => DELIVERY_ID.test(id);

const timestamp = z.iso.datetime();
const endpointIdExample = "whe_01jd7k3m9x2c4v6b8n0p2r4t6w";
const deliveryIdExample = "whd_01jd7k3m9x2c4v6b8n0p2r4t6w000";
const secret = z.string().meta({ description: "The signing secret (Standard Webhooks), shown in this answer only.", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });

// ── Requests ─────────────────────────────────────────────────────────────────────────────

const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .meta({ description: "The events to send to it: at least one.", example: ["job.succeeded", "job.failed"] });
const description = z.string().max(500).meta({ description: "A note for yourself, at most 500 characters.", example: "production" });
const url = z.string().meta({ description: "The https:// URL to POST events to; it must reach a public address.", example: "https://example.com/webhooks/easel" });

export const createEndpointBodySchema = z
  .strictObject({
    url,
    description: description.optional(),
    event_types: eventTypes.optional().meta({ description: "The events to send to it (default: every event type)." }),
  })
  .meta({ id: "CreateWebhookEndpointRequest" });

export const updateEndpointBodySchema = z
  .strictObject({
    url: url.optional(),
    description: description.optional(),
    event_types: eventTypes.optional(),
    enabled: z.boolean().optional().meta({ description: "false disables the endpoint; true enables it again (after a 410, too) and resumes its pending deliveries." }),
  })
  .meta({ id: "UpdateWebhookEndpointRequest" });

export type CreateEndpointBody = z.output<typeof createEndpointBodySchema>;
export type UpdateEndpointBody = z.output<typeof updateEndpointBodySchema>;

export const DEFAULT_DELIVERY_PAGE_SIZE = 20;
export const MAX_DELIVERY_PAGE_SIZE = 100;

/** GET /v1/webhooks/deliveries?endpoint_id=&event_type=&status=&limit=&cursor= */
export const deliveryListQuerySchema = z.object({
  limit: pageLimit(DEFAULT_DELIVERY_PAGE_SIZE, MAX_DELIVERY_PAGE_SIZE),
  endpoint_id: z
    .string()
    .regex(ENDPOINT_ID, { error: "endpoint_id must be the id of one of your webhook endpoints." })
    .optional()
    .meta({ description: "Only deliveries to this endpoint.", example: endpointIdExample }),
  event_type: z
    .enum(ANY_EVENT_TYPES, { error: `event_type must be one of ${ANY_EVENT_TYPES.join(", ")}.` })
    .optional()
    .meta({ description: "Only deliveries of this event type." }),
  status: z
    .enum(DELIVERY_STATUSES, { error: `status must be one of ${DELIVERY_STATUSES.join(", ")}.` })
    .optional()
    .meta({ description: "Only deliveries in this state." }),
  cursor: z
    .string()
    .refine(isDeliveryId, { error: "cursor must be the next_cursor of a previous page.", params: { code: "invalid_cursor" } })
    .optional()
    .meta({ description: "The next_cursor of the previous page." }),
});

export type DeliveryListQuery = z.output<typeof deliveryListQuerySchema>;

export const endpointIdPathSchema = z.object({
  id: z.string().meta({ description: "The endpoint's id.", example: endpointIdExample }),
});

export const deliveryIdPathSchema = z.object({
  id: z.string().meta({ description: "The delivery's id.", example: deliveryIdExample }),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────

export const webhookEndpointSchema = z
  .object({
    id: z.string().meta({ example: endpointIdExample }),
    object: z.literal("webhook_endpoint"),
    url: z.string().meta({ example: "https://example.com/webhooks/easel" }),
    description: z.string(),
    event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable().meta({ description: "Why it is disabled (a 410 from the receiver, or its owner); null while enabled." }),
    disabled_at: timestamp.nullable(),
    previous_secret_expires_at: timestamp
      .nullable()
      .meta({ description: "After a rotation: until then, deliveries carry a second signature made with the previous secret." }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret })
  .meta({ id: "WebhookEndpointWithSecret", description: "An endpoint just created, or its secret just rotated: the one answer that shows the secret." });

export const webhookEndpointListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(webhookEndpointSchema).meta({ description: "Oldest first; never the secrets." }),
    has_more: z.boolean().meta({ description: "Always false: every endpoint is on the one page." }),
  })
  .meta({ id: "WebhookEndpointList" });

export const webhookEndpointDeletedSchema = z
  .object({ id: z.string().meta({ example: endpointIdExample }), object: z.literal("webhook_endpoint"), deleted: z.literal(true) })
  .meta({ id: "WebhookEndpointDeleted" });

export const webhookAttemptSchema = z
  .object({
    started_at: timestamp,
    duration_ms: z.int(),
    url: z.string().meta({ description: "Where the attempt went." }),
    status_code: z.int().nullable().meta({ description: "The receiver's HTTP status; null when there was no answer." }),
    response_body: z.string().nullable().meta({ description: "The first bytes (up to 1 KiB) of the receiver's answer." }),
    error: z.string().nullable().meta({ description: "What went wrong (a timeout, a refused address, …); null when it answered." }),
  })
  .meta({ id: "WebhookAttempt" });

export const webhookDeliverySchema = z
  .object({
    id: z.string().meta({ example: deliveryIdExample }),
    object: z.literal("webhook_delivery"),
    event_id: z.string().meta({ description: "The event's id: the `webhook-id` header of every attempt, retries and redeliveries alike." }),
    event_type: z.enum(ANY_EVENT_TYPES),
    endpoint_id: z.string().nullable().meta({ description: "The endpoint it goes to; null for a job's own webhook_url." }),
    url: z.string().nullable().meta({ description: "A job's own webhook_url; null for an endpoint's delivery (its URL is the endpoint's)." }),
    status: z.enum(DELIVERY_STATUSES),
    attempt_count: z.int(),
    next_attempt_at: timestamp.nullable().meta({ description: "When the next attempt is due, while pending." }),
    last_status_code: z.int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: timestamp.nullable(),
    created_at: timestamp,
    attempts: z.array(webhookAttemptSchema).meta({ description: "Every attempt, oldest first." }),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookDeliveryListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(webhookDeliverySchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last one." }),
  })
  .meta({ id: "WebhookDeliveryList" });

export const webhookSigningSecretSchema = z
  .object({ key: secret.meta({ description: "The secret that signs deliveries to a request's own webhook_url." }) })
  .meta({ id: "WebhookSigningSecret" });

export const webhookTestEventSchema = z
  .object({
    object: z.literal("webhook_event"),
    id: z.string().meta({ description: "The event's id: the webhook-id of its delivery." }),
    type: z.literal(TEST_EVENT_TYPE),
    endpoint_id: z.string().meta({ example: endpointIdExample }),
  })
  .meta({ id: "WebhookTestEvent" });

export type WebhookEndpointObject = z.output<typeof webhookEndpointSchema>;
export type WebhookEndpointWithSecret = z.output<typeof webhookEndpointWithSecretSchema>;
export type WebhookEndpointList = z.output<typeof webhookEndpointListSchema>;
export type WebhookAttemptObject = z.output<typeof webhookAttemptSchema>;
export type WebhookDeliveryObject = z.output<typeof webhookDeliverySchema>;
export type WebhookDeliveryList = z.output<typeof webhookDeliveryListSchema>;

// The webhook endpoints of the OpenAPI document, merged into it by lib/http/openapi.ts.
import * as z from "zod";
import type { ErrorCode } from "@/lib/http/error-codes";
import type { Operations } from "@/lib/http/openapi-operation";
import {
  createEndpointBodySchema,
  deliveryIdPathSchema,
  deliveryListQuerySchema,
  endpointIdPathSchema,
  updateEndpointBodySchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointDeletedSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
  webhookSigningSecretSchema,
  webhookTestEventSchema,
} from "./schemas";

const TAG = "Webhooks";

const BODY_ERRORS: ErrorCode[] = ["invalid_json", "unknown_parameter", "invalid_parameter", "invalid_webhook_url", "payload_too_large"];

const endpointLocation = z.string().meta({ description: "The new endpoint's URL.", example: "/v1/webhooks/endpoints/whe_01jd7k3m9x2c4v6b8n0p2r4t6w" });

export const WEBHOOK_OPERATIONS: Operations = {
  "/v1/webhooks/endpoints": {
    get: {
      operationId: "listWebhookEndpoints",
      tag: TAG,
      summary: "List webhook endpoints",
      description: "The caller's webhook endpoints, oldest first, all on one page. Their secrets are never shown again.",
      auth: true,
      ok: { 200: { description: "The endpoints.", schema: webhookEndpointListSchema } },
    },
    post: {
      operationId: "createWebhookEndpoint",
      tag: TAG,
      summary: "Create a webhook endpoint",
      description:
        "Registers an https URL (checked, DNS included) to receive the account's events, signed as Standard Webhooks. The answer carries its signing secret: the only time it is shown.",
      auth: true,
      writes: true,
      body: { schema: createEndpointBodySchema },
      ok: { 201: { description: "The endpoint, with its secret.", schema: webhookEndpointWithSecretSchema, headers: { Location: endpointLocation } } },
      errors: [...BODY_ERRORS, "too_many_webhook_endpoints"],
    },
  },
  "/v1/webhooks/endpoints/{id}": {
    get: {
      operationId: "getWebhookEndpoint",
      tag: TAG,
      summary: "Get a webhook endpoint",
      description: "One of the caller's endpoints. Anyone else's is not found.",
      auth: true,
      path: endpointIdPathSchema,
      ok: { 200: { description: "The endpoint.", schema: webhookEndpointSchema } },
      errors: ["webhook_endpoint_not_found"],
    },
    patch: {
      operationId: "updateWebhookEndpoint",
      tag: TAG,
      summary: "Update a webhook endpoint",
      description:
        "Changes its URL, description or event types; `enabled: false` disables it, `enabled: true` enables it again (after a 410 too) and its pending deliveries resume.",
      auth: true,
      writes: true,
      path: endpointIdPathSchema,
      body: { schema: updateEndpointBodySchema },
      ok: { 200: { description: "The endpoint, changed.", schema: webhookEndpointSchema } },
      errors: [...BODY_ERRORS, "webhook_endpoint_not_found"],
    },
    delete: {
      operationId: "deleteWebhookEndpoint",
      tag: TAG,
      summary: "Delete a webhook endpoint",
      description: "It receives nothing more; its deliveries still pending fail. Its delivery log stays readable.",
      auth: true,
      writes: true,
      path: endpointIdPathSchema,
      ok: { 200: { description: "The endpoint was deleted.", schema: webhookEndpointDeletedSchema } },
      errors: ["webhook_endpoint_not_found"],
    },
  },
  "/v1/webhooks/endpoints/{id}/rotate-secret": {
    post: {
      operationId: "rotateWebhookEndpointSecret",
      tag: TAG,
      summary: "Rotate a webhook endpoint's secret",
      description:
        "A new signing secret, shown in this answer only. The previous one keeps signing beside it (a second signature) for 24 hours, so receivers can switch over.",
      auth: true,
      writes: true,
      path: endpointIdPathSchema,
      ok: { 200: { description: "The endpoint, with its new secret.", schema: webhookEndpointWithSecretSchema } },
      errors: ["webhook_endpoint_not_found", "rotation_conflict"],
    },
  },
  "/v1/webhooks/endpoints/{id}/test": {
    post: {
      operationId: "sendWebhookTestEvent",
      tag: TAG,
      summary: "Send a test event",
      description: "Sends a `webhook.test` event to this endpoint alone, whatever it subscribes to. Its delivery appears in the log.",
      auth: true,
      writes: true,
      path: endpointIdPathSchema,
      ok: { 202: { description: "The event was recorded; its delivery is queued.", schema: webhookTestEventSchema } },
      errors: ["webhook_endpoint_not_found", "webhook_endpoint_disabled"],
    },
  },
  "/v1/webhooks/deliveries": {
    get: {
      operationId: "listWebhookDeliveries",
      tag: TAG,
      summary: "List webhook deliveries",
      description: "The delivery log, newest first, a page at a time, each delivery with its attempts. Unknown query parameters are ignored.",
      auth: true,
      query: deliveryListQuerySchema,
      ok: { 200: { description: "A page of deliveries.", schema: webhookDeliveryListSchema } },
      errors: ["invalid_parameter", "invalid_cursor"],
    },
  },
  "/v1/webhooks/deliveries/{id}": {
    get: {
      operationId: "getWebhookDelivery",
      tag: TAG,
      summary: "Get a webhook delivery",
      description: "One delivery with every attempt. Anyone else's is not found.",
      auth: true,
      path: deliveryIdPathSchema,
      ok: { 200: { description: "The delivery.", schema: webhookDeliverySchema } },
      errors: ["webhook_delivery_not_found"],
    },
  },
  "/v1/webhooks/deliveries/{id}/redeliver": {
    post: {
      operationId: "redeliverWebhook",
      tag: TAG,
      summary: "Redeliver a webhook",
      description:
        "Makes the delivery due now, whatever its state: one more attempt with the same webhook-id, so a receiver that already has it can tell. If it fails, the retry schedule continues from where it was.",
      auth: true,
      writes: true,
      path: deliveryIdPathSchema,
      ok: { 202: { description: "The delivery, pending again.", schema: webhookDeliverySchema } },
      errors: ["webhook_delivery_not_found", "webhook_endpoint_deleted", "webhook_endpoint_disabled"],
    },
  },
  "/v1/webhooks/default/secret": {
    get: {
      operationId: "getDefaultWebhookSecret",
      tag: TAG,
      summary: "Get the default webhook secret",
      description: "The secret that signs deliveries to a request's own webhook_url (endpoints have their own). The same for the account's whole life.",
      auth: true,
      ok: { 200: { description: "The secret.", schema: webhookSigningSecretSchema } },
    },
  },
};

// The shapes of webhook API requests: endpoint bodies and the delivery log's query, parsed
// into the plain inputs of endpoints.ts and deliveries.ts, or refused with a 400 naming the field.
import * as z from "zod/mini";
import { webhookDeliveryStatus, type WebhookDeliveryStatus } from "@/db/schema";
import { invalidRequest } from "@/lib/http/errors";
import { isDeliveryId } from "./deliveries";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "./events";

const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.minLength(1));
const description = z.string().check(z.maxLength(500));

export const createEndpointSchema = z.strictObject({
  url: z.string(),
  description: z.optional(description),
  /** Default: every event type. */
  event_types: z.optional(eventTypes),
});

export const updateEndpointSchema = z.strictObject({
  url: z.optional(z.string()),
  description: z.optional(description),
  event_types: z.optional(eventTypes),
  enabled: z.optional(z.boolean()),
});

const MESSAGES: Record<string, string> = {
  url: "url must be a string: the https:// URL to send events to.",
  description: "description must be a string of at most 500 characters.",
  event_types: `event_types must be a non-empty array of ${WEBHOOK_EVENT_TYPES.join(", ")}.`,
  enabled: "enabled must be true or false.",
};

function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidRequest("invalid_json", "The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    throw invalidRequest("unknown_parameter", `Unknown parameter "${key}".`, key);
  }
  const top = issue?.path[0] === undefined ? "" : String(issue.path[0]);
  throw invalidRequest("invalid_parameter", MESSAGES[top] ?? issue?.message ?? "The request body is invalid.", top || undefined);
}

export function parseCreateEndpoint(body: unknown) {
  const input = parseBody(createEndpointSchema, body);
  return { url: input.url, description: input.description, eventTypes: input.event_types };
}

export function parseUpdateEndpoint(body: unknown) {
  const input = parseBody(updateEndpointSchema, body);
  return { url: input.url, description: input.description, eventTypes: input.event_types, enabled: input.enabled };
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?endpoint_id=&event_type=&status=&limit=&cursor=` of GET /v1/webhooks/deliveries. */
export function parseDeliveryListQuery(query: URLSearchParams) {
  const limitText = query.get("limit");
  const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalidRequest("invalid_parameter", `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`, "limit");
  }
  const status = query.get("status") ?? undefined;
  if (status !== undefined && !(webhookDeliveryStatus.enumValues as readonly string[]).includes(status)) {
    throw invalidRequest("invalid_parameter", `status must be one of ${webhookDeliveryStatus.enumValues.join(", ")}.`, "status");
  }
  const eventType = query.get("event_type") ?? undefined;
  const types: readonly string[] = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE];
  if (eventType !== undefined && !types.includes(eventType)) {
    throw invalidRequest("invalid_parameter", `event_type must be one of ${types.join(", ")}.`, "event_type");
  }
  const endpointId = query.get("endpoint_id") ?? undefined;
  if (endpointId !== undefined && !/^whe_[0-9a-z]{26}$/.test(endpointId)) {
    throw invalidRequest("invalid_parameter", "endpoint_id must be the id of one of your webhook endpoints.", "endpoint_id");
  }
  const cursor = query.get("cursor") ?? undefined;
  if (cursor !== undefined && !isDeliveryId(cursor)) {
    throw invalidRequest("invalid_cursor", "cursor must be the next_cursor of a previous page.", "cursor");
  }
  return { limit, status: status as WebhookDeliveryStatus | undefined, eventType, endpointId, cursor };
}

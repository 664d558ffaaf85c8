// Parses webhook endpoint bodies with their schemas (schemas.ts) into the plain inputs of
// endpoints.ts, or refuses them with an `InvalidInput` naming the field.
import type * as z from "zod";
import { invalidInput, type InvalidInput } from "@/lib/errors";
import type { EndpointInput } from "./endpoints";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { createEndpointBodySchema, updateEndpointBodySchema } from "./schemas";

const MESSAGES: Record<string, string> = {
  url: "url must be a string: the https:// URL to send events to.",
  description: "description must be a string of at most 500 characters.",
  event_types: `event_types must be a non-empty array of ${WEBHOOK_EVENT_TYPES.join(", ")}.`,
  enabled: "enabled must be true or false.",
};

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidInput("invalid_json", "The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw fromIssue(parsed.error.issues[0]);
}

function fromIssue(issue: z.core.$ZodIssue | undefined): InvalidInput {
  if (issue?.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    return invalidInput("unknown_parameter", `Unknown parameter "${key}".`, key);
  }
  const top = issue?.path[0] === undefined ? "" : String(issue.path[0]);
  return invalidInput("invalid_parameter", MESSAGES[top] ?? issue?.message ?? "The request body is invalid.", top || undefined);
}

export function parseCreateEndpoint(body: unknown): EndpointInput {
  const input = parseBody(createEndpointBodySchema, body);
  return { url: input.url, description: input.description, eventTypes: input.event_types };
}

export function parseUpdateEndpoint(body: unknown): Partial<EndpointInput> & { enabled?: boolean } {
  const input = parseBody(updateEndpointBodySchema, body);
  return { url: input.url, description: input.description, eventTypes: input.event_types, enabled: input.enabled };
}

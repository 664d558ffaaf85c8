// Parses a generation or edit body: its shape with zod, then the catalogue's rules and the price
// with checkGenerationRequest — the same code the composer runs in the browser.
import type * as z from "zod";
import { invalidInput, type InvalidInput } from "@/lib/errors";
import { JOB_WEBHOOK_FILTERS } from "@/lib/webhooks/events";
import { checkWebhookUrlSyntax } from "@/lib/webhooks/url-policy";
import { checkGenerationRequest, type Endpoint, type GenerationRequest } from "./generation-check";
import { generationBodySchema } from "./schemas";

export { MAX_REFERENCES, promptLength, type Endpoint, type GenerationInput, type GenerationRequest } from "./generation-check";

/** Parses, validates and prices a request body; throws `InvalidInput` naming the problem. */
export function parseGenerationRequest(body: unknown, kind: Endpoint): GenerationRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidInput("invalid_json", "The request body must be a JSON object.");
  }
  const parsed = generationBodySchema.safeParse(body);
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]);
  const request = checkGenerationRequest(parsed.data, kind);
  const { webhook_url: url, webhook_events_filter: events } = parsed.data;
  if (url != null) {
    // Syntax and literal addresses here; the host's addresses are checked at each delivery.
    request.webhook = { url: checkWebhookUrlSyntax(url, "webhook_url"), events: events ? [...new Set(events)] : null };
  } else if (events != null) {
    throw invalidInput("invalid_parameter", "webhook_events_filter needs a webhook_url.", "webhook_events_filter");
  }
  return request;
}

function fromZodIssue(issue: z.core.$ZodIssue | undefined): InvalidInput {
  if (!issue) return invalidInput("invalid_parameter", "The request body is invalid.");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    return invalidInput("unknown_parameter", `Unknown parameter "${key}".`, key);
  }
  const param = issue.path.map(String).join(".") || undefined;
  const messages: Record<string, string> = {
    model: "model must be a string.",
    prompt: "prompt must be a string.",
    size: "size must be a string such as \"16:9\" or \"1024x1024\".",
    n: "n must be an integer.",
    quality: "quality must be a string.",
    image_url: "image_url must be a string.",
    image_urls: "image_urls must be an array of strings.",
    seed: "seed must be an integer from 0 to 4294967295.",
    idempotency_key: "idempotency_key must be a string of 1 to 255 characters.",
    webhook_url: "webhook_url must be a string.",
    webhook_events_filter: `webhook_events_filter must be an array of ${JOB_WEBHOOK_FILTERS.join(", ")}.`,
  };
  const top = issue.path[0] === undefined ? undefined : String(issue.path[0]);
  return invalidInput("invalid_parameter", (top && messages[top]) ?? issue.message, param);
}

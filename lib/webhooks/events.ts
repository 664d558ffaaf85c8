// The events Easel sends to webhook receivers. Pure: the dashboard shows the same list.
import type { JobStatus, JobWebhookFilter } from "@/db/schema";

export const JOB_EVENT_TYPES = ["job.started", "job.succeeded", "job.failed", "job.expired", "job.canceled"] as const;
export const ACCOUNT_EVENT_TYPES = ["balance.low", "topup.succeeded"] as const;
/** What an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [...JOB_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES] as const;
/** Sent only on request, to one endpoint ("Send test event"). */
export const TEST_EVENT_TYPE = "webhook.test";

export type JobEventType = (typeof JOB_EVENT_TYPES)[number];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type AnyEventType = WebhookEventType | typeof TEST_EVENT_TYPE;

/** What a request's `webhook_events_filter` may name (as Replicate's API does). */
export const JOB_WEBHOOK_FILTERS = ["started", "completed"] as const satisfies readonly JobWebhookFilter[];

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** The event of a job reaching `status`, or null for the statuses that are not an event. */
export function jobEventOf(status: JobStatus): JobEventType | null {
  switch (status) {
    case "processing":
      return "job.started";
    case "succeeded":
    case "failed":
    case "expired":
    case "canceled":
      return `job.${status}`;
    default:
      return null;
  }
}

/** The request-level filter an event belongs to: its start, or its end. */
export const filterOf = (type: JobEventType): JobWebhookFilter => (type === "job.started" ? "started" : "completed");

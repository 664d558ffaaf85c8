import { toUsd } from "@/lib/money";
import type { JobView } from "./job-views";
import type { JobImageView, JobObject } from "./schemas";

export type { JobImageView, JobObject };

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** What is known of a job beyond its row, when someone has looked it up. */
export type JobExtras = {
  /** Where a queued job stands in the global queue (1 is next); null otherwise or unknown. */
  queuePosition?: number | null;
};

/** The job object of the API, as its schema (schemas.ts) describes it. */
export function serializeJob(job: JobView, images: JobImageView[] = [], extras: JobExtras = {}): JobObject {
  const charged = job.chargedMicros;
  return {
    id: job.id,
    object: "image.job",
    status: job.status,
    queue_position: job.status === "queued" ? (extras.queuePosition ?? null) : null,
    kind: job.kind,
    model: job.model,
    prompt: job.prompt,
    params: job.params,
    estimated_cost: toUsd(job.estimatedMicros),
    charged_amount: charged === null ? null : toUsd(charged),
    /** What went back to the balance: the estimate less the charge, once terminal. */
    released_amount: charged === null ? null : toUsd(job.estimatedMicros - charged),
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    images,
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? "" } : null,
    provider: job.provider,
    fallback_layer: job.fallbackLayer,
    urls: { get: `/v1/jobs/${job.id}`, cancel: `/v1/jobs/${job.id}/cancel` },
    /** The upstream's own id for the request, for support across both sides. */
    upstream_request_id: job.upstreamRequestId,
  };
}

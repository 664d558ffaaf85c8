import "server-only";
import type { Principal } from "@/lib/auth/api-keys";
import { createJob } from "./create";
import { parseGenerationRequest, type Endpoint } from "./generation-request";
import { presentJob } from "./present";
import type { JobObject } from "./schemas";
import { serializeJob } from "./serialize";

/**
 * What POST /v1/images/generations and /v1/images/edits do with a JSON body: parse, validate
 * and price it, then create the job with its hold (or return the job an idempotency key already
 * made). `origin` is where clients reach this server, for the images' signed URLs.
 */
export async function submitJob(input: { principal: Principal; body: unknown; kind: Endpoint; origin: string }): Promise<{ job: JobObject; replayed: boolean }> {
  const request = parseGenerationRequest(input.body, input.kind);
  const { job, replayed } = await createJob({ principal: input.principal, request });
  // A replay may be of a finished job: it carries its images like any other read.
  return { job: replayed ? await presentJob(job, input.origin) : serializeJob(job), replayed };
}

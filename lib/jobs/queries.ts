import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobs, type Job, type JobStatus } from "@/db/schema";
import { JobNotFound } from "@/lib/errors";
import { isJobId } from "./job-id";
import { jobIs, readJobView, readJobViews, type ImageView, type JobCondition, type JobView, type JobWithImages } from "./job-views";

export const jobNotFound = (jobId: string) => new JobNotFound(jobId, isJobId(jobId));

/** Refuses what cannot be a job id before it reaches a query (NUL bytes, megabytes of text). */
export function assertJobId(jobId: string): void {
  if (!isJobId(jobId)) throw jobNotFound(jobId);
}

/** One of the account's jobs; anyone else's job is, to this caller, not found. */
export async function getJob(input: { accountId: string; jobId: string }): Promise<Job> {
  assertJobId(input.jobId);
  const db = await getDb();
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, input.jobId), eq(jobs.accountId, input.accountId)))
    .limit(1);
  if (!job) throw jobNotFound(input.jobId);
  return job;
}

/** One of the account's jobs and, once it has succeeded, its images in order: one query. */
export async function getJobWithImages(input: { accountId: string; jobId: string }): Promise<JobWithImages> {
  assertJobId(input.jobId);
  const found = await readJobView(input);
  if (!found) throw jobNotFound(input.jobId);
  return found;
}

export type JobListFilter = {
  accountId: string;
  status?: JobStatus;
  model?: string;
  /** Any of these models (a tier). */
  models?: string[];
  /** The last id of the previous page: this page starts after it. */
  cursor?: string;
  limit: number;
};

/**
 * The account's jobs, newest first, and the images of those that succeeded: one query. Ids are
 * time-ordered, so the id is the cursor.
 */
export async function listJobs(filter: JobListFilter): Promise<{ jobs: JobView[]; images: Map<string, ImageView[]>; nextCursor: string | null }> {
  const conditions: JobCondition[] = [];
  if (filter.status) conditions.push(jobIs.status(filter.status));
  if (filter.model) conditions.push(jobIs.model(filter.model));
  if (filter.cursor) conditions.push(jobIs.before(filter.cursor));
  const rows = await readJobViews({ accountId: filter.accountId, conditions, models: filter.models, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  return {
    jobs: page.map((row) => row.job),
    images: new Map(page.map((row) => [row.job.id, row.images])),
    nextCursor: rows.length > filter.limit ? page[page.length - 1]!.job.id : null,
  };
}

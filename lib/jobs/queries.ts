import "server-only";
import { and, asc, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobImages, jobs, type Job, type JobImage, type JobStatus } from "@/db/schema";
import { JobNotFound } from "@/lib/errors";
import { isJobId } from "./job-id";

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
export async function getJobWithImages(input: { accountId: string; jobId: string }): Promise<{ job: Job; images: JobImage[] }> {
  assertJobId(input.jobId);
  const db = await getDb();
  const rows = await db
    .select({ job: jobs, image: jobImages })
    .from(jobs)
    .leftJoin(jobImages, and(eq(jobImages.jobId, jobs.id), eq(jobs.status, "succeeded")))
    .where(and(eq(jobs.id, input.jobId), eq(jobs.accountId, input.accountId)))
    .orderBy(asc(jobImages.index));
  if (rows.length === 0) throw jobNotFound(input.jobId);
  return { job: rows[0]!.job, images: rows.flatMap((row) => (row.image ? [row.image] : [])) };
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

/** The account's jobs, newest first. Ids are time-ordered, so the id is the cursor. */
export async function listJobs(filter: JobListFilter): Promise<{ jobs: Job[]; nextCursor: string | null }> {
  const conditions: SQL[] = [eq(jobs.accountId, filter.accountId)];
  if (filter.status) conditions.push(eq(jobs.status, filter.status));
  if (filter.model) conditions.push(eq(jobs.model, filter.model));
  if (filter.models) conditions.push(inArray(jobs.model, filter.models));
  if (filter.cursor) conditions.push(lt(jobs.id, filter.cursor));

  const db = await getDb();
  const rows = await db
    .select()
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return { jobs: page, nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null };
}

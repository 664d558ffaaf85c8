import "server-only";
import { asc, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobImages, type Job, type JobImage } from "@/db/schema";
import { fileUrl } from "@/lib/storage/file-urls";
import { signFileUrl } from "@/lib/storage/signed-urls";
import { queuePositions } from "./queue-position";
import { serializeJob, type JobImageView, type JobObject } from "./serialize";

/**
 * Job objects as the API returns them, with fresh URLs for their images (one query) and,
 * for queued jobs only, their place in the queue (one more).
 */
export async function presentJobs(jobs: Job[], origin: string): Promise<JobObject[]> {
  const [byJob, positions] = await Promise.all([imagesOf(jobs), queuePositions(jobs)]);
  return Promise.all(
    jobs.map(async (job) =>
      serializeJob(job, await Promise.all((byJob.get(job.id) ?? []).map((image) => imageView(image, origin))), {
        queuePosition: positions.get(job.id),
      }),
    ),
  );
}

async function imagesOf(jobs: Job[]): Promise<Map<string, JobImage[]>> {
  const finished = jobs.filter((job) => job.status === "succeeded").map((job) => job.id);
  const byJob = new Map<string, JobImage[]>();
  if (finished.length === 0) return byJob;
  const db = await getDb();
  const rows = await db.select().from(jobImages).where(inArray(jobImages.jobId, finished)).orderBy(asc(jobImages.index));
  for (const row of rows) byJob.set(row.jobId, [...(byJob.get(row.jobId) ?? []), row]);
  return byJob;
}

export async function presentJob(job: Job, origin: string): Promise<JobObject> {
  return (await presentJobs([job], origin))[0]!;
}

/**
 * An image's URLs. The thumbnail's is always ours: it is made on its first request, so only we
 * know whether it exists yet (with presigned file URLs, that request is redirected on).
 */
async function imageView(image: JobImage, origin: string): Promise<JobImageView> {
  const file = { id: image.fileId, purpose: "output" as const, contentType: image.contentType };
  return {
    url: await fileUrl(file, origin),
    width: image.width,
    height: image.height,
    content_type: image.contentType,
    thumbnail_url: signFileUrl(image.fileId, origin, { variant: "thumbnail" }).url,
  };
}

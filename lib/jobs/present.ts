import "server-only";
import { asc, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobImages } from "@/db/schema";
import { fileUrlMode, presignedFileUrl } from "@/lib/storage/file-urls";
import { signFileUrl } from "@/lib/storage/signed-urls";
import type { ImageView, JobView } from "./job-views";
import { queuePositions } from "./queue-position";
import { serializeJob, type JobImageView, type JobObject } from "./serialize";

/**
 * Job objects as the API returns them, with fresh URLs for their images (one query) and,
 * for queued jobs only, their place in the queue (one more).
 */
export async function presentJobs(jobs: JobView[], origin: string, images?: Map<string, ImageView[]>): Promise<JobObject[]> {
  const [byJob, positions] = await Promise.all([images ?? imagesOf(jobs), queuePositions(jobs)]);
  // Presigned URLs are made by the bucket's client, asynchronously; our own are signed at once.
  const presigned = fileUrlMode() === "presigned" ? await presignedUrls([...byJob.values()].flat()) : null;
  return jobs.map((job) =>
    serializeJob(
      job,
      (byJob.get(job.id) ?? []).map((image) => imageView(image, origin, presigned)),
      { queuePosition: positions.get(job.id) },
    ),
  );
}

async function imagesOf(jobs: JobView[]): Promise<Map<string, ImageView[]>> {
  const finished = jobs.filter((job) => job.status === "succeeded").map((job) => job.id);
  const byJob = new Map<string, ImageView[]>();
  if (finished.length === 0) return byJob;
  const db = await getDb();
  const rows = await db.select().from(jobImages).where(inArray(jobImages.jobId, finished)).orderBy(asc(jobImages.index));
  for (const row of rows) byJob.set(row.jobId, [...(byJob.get(row.jobId) ?? []), row]);
  return byJob;
}

/** `images`: the job's images when the caller read them with it (getJobWithImages). */
export async function presentJob(job: JobView, origin: string, images?: ImageView[]): Promise<JobObject> {
  return (await presentJobs([job], origin, images && new Map([[job.id, images]])))[0]!;
}

async function presignedUrls(images: ImageView[]): Promise<Map<string, string>> {
  const urls = await Promise.all(
    images.map((image) => presignedFileUrl({ id: image.fileId, purpose: "output", contentType: image.contentType })),
  );
  return new Map(images.map((image, i) => [image.fileId, urls[i]!]));
}

/**
 * An image's URLs: ours, or the bucket's presigned one. The thumbnail's is always ours: it is
 * made on its first request, so only we know whether it exists yet (with presigned file URLs,
 * that request is redirected on).
 */
function imageView(image: ImageView, origin: string, presigned: Map<string, string> | null): JobImageView {
  return {
    url: presigned?.get(image.fileId) ?? signFileUrl(image.fileId, origin).url,
    width: image.width,
    height: image.height,
    content_type: image.contentType,
    thumbnail_url: signFileUrl(image.fileId, origin, { variant: "thumbnail" }).url,
  };
}

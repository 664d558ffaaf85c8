import "server-only";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { files, jobImages, type Job } from "@/db/schema";
import { readFileBytes } from "@/lib/storage/files";
import { fileUrl } from "@/lib/storage/file-urls";

export type JobOutput = { url: string; width: number; height: number; contentType: string; bytes?: Buffer };

/**
 * A finished job's images in order: each with a fresh URL, and with its bytes when
 * `withBytes` (for answers that carry images inline, as base64).
 */
export async function jobOutputs(job: Job, origin: string, options: { withBytes: boolean }): Promise<JobOutput[]> {
  const db = await getDb();
  const rows = await db
    .select({ image: jobImages, file: files })
    .from(jobImages)
    .innerJoin(files, eq(files.id, jobImages.fileId))
    .where(eq(jobImages.jobId, job.id))
    .orderBy(asc(jobImages.index));
  return Promise.all(
    rows.map(async ({ image, file }) => {
      const output: JobOutput = { url: await fileUrl(file, origin), width: image.width, height: image.height, contentType: image.contentType };
      if (options.withBytes) {
        const bytes = await readFileBytes(file);
        if (!bytes) throw new Error(`The bytes of ${file.id} are missing from storage`);
        output.bytes = bytes;
      }
      return output;
    }),
  );
}

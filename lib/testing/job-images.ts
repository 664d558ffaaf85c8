// What a finished job delivered, as stored: for tests of upstream adapters.
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobImages, type JobImage } from "@/db/schema";

export async function imagesOf(jobId: string): Promise<JobImage[]> {
  const db = await getDb();
  return db.select().from(jobImages).where(eq(jobImages.jobId, jobId)).orderBy(asc(jobImages.index));
}

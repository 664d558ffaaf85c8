import "server-only";
import { inArray } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import { files, jobImages, type FileRecord, type Job } from "@/db/schema";
import { autoTopUpAfterCharges } from "@/lib/billing/auto-topup";
import { findModel, settledCost } from "@/lib/catalog";
import { newId } from "@/lib/ids";
import { deleteFileBytes } from "@/lib/storage/files";
import { crashPoint } from "./crash-points";
import type { Outcome } from "./execute";
import { finishJobs, type Ending } from "./finish";

export type Finished = { job: Job; outcome: Outcome };

/**
 * Records workers' outcomes and settles the jobs' holds, all in one transaction:
 * succeeded → charge min(cost of the images delivered, at their actual size; estimate) and
 * release the rest; failed → release everything. A job no longer this worker's (canceled,
 * expired, requeued meanwhile) is left out — nobody pays for or sees that late result — and the
 * bytes of its images are deleted. Returns each job as it ended, or null for those left out.
 */
export async function settleOutcomes(workerId: string, items: readonly Finished[]): Promise<Array<Job | null>> {
  const endings = items.map(({ job, outcome }) => ending(workerId, job, outcome));
  const outcomeOf = new Map(items.map((item) => [item.job.id, item.outcome]));

  const finished = await withTransaction(async (tx) => {
    const settled = await finishJobs(tx, endings, async (ended) => {
      // Images are recorded only for jobs that really ended here, before the money moves.
      const delivered = ended.flatMap((job) => {
        const outcome = outcomeOf.get(job.id)!;
        return outcome.status === "succeeded" ? outcome.images.map((image, index) => ({ job, image, index })) : [];
      });
      if (delivered.length === 0) return;
      // The files and the images that show them, in one statement.
      const stored = tx.$with("stored_files").as(
        tx.insert(files).values(delivered.map(({ image }) => image.file)).returning({ id: files.id }),
      );
      await tx.with(stored).insert(jobImages).values(
        delivered.map(({ job, image, index }) => ({
          id: newId("img"),
          jobId: job.id,
          index,
          fileId: image.file.id,
          width: image.width,
          height: image.height,
          contentType: image.file.contentType,
        })),
      );
    });
    if (settled.length > 0) crashPoint("in-settlement");
    return settled;
  });
  if (finished.length > 0) crashPoint("after-commit");

  // The charges are committed: accounts they took below an auto top-up threshold buy more, in
  // the background (it never fails or slows the settlement).
  autoTopUpAfterCharges(finished.filter((job) => (job.chargedMicros ?? 0n) > 0n).map((job) => job.accountId));

  const endedById = new Map(finished.map((job) => [job.id, job]));
  const discarded = items.filter(({ job }) => !endedById.has(job.id));
  await deleteFileBytes(await unrecorded(discarded.flatMap(({ outcome }) => (outcome.status === "succeeded" ? outcome.images.map((i) => i.file) : []))));
  return items.map(({ job }) => endedById.get(job.id) ?? null);
}

/**
 * The files of `candidates` that no record points to. A settlement retried after its connection
 * broke may find its jobs already ended — by its own first attempt, committed before the answer
 * was lost — and those images' bytes must stay.
 */
async function unrecorded(candidates: FileRecord[]): Promise<FileRecord[]> {
  if (candidates.length === 0) return [];
  const db = await getDb();
  const kept = await db.select({ id: files.id }).from(files).where(inArray(files.id, candidates.map((file) => file.id)));
  const keptIds = new Set(kept.map((row) => row.id));
  return candidates.filter((file) => !keptIds.has(file.id));
}

/** One outcome, settled alone. */
export async function settleOrDiscard(input: { workerId: string; job: Job; outcome: Outcome }): Promise<Job | null> {
  const [ended] = await settleOutcomes(input.workerId, [input]);
  return ended ?? null;
}

function ending(workerId: string, job: Job, outcome: Outcome): Ending {
  const from = { statuses: ["processing"] as const, leaseOwner: workerId };
  if (outcome.status === "failed") {
    return {
      jobId: job.id,
      from,
      to: "failed",
      chargeMicros: 0n,
      error: { code: outcome.code, message: outcome.message },
      provider: outcome.provider,
      fallbackLayer: outcome.fallbackLayer,
      upstreamRequestId: outcome.upstreamRequestId,
    };
  }
  const model = findModel(job.model)!;
  const delivered = outcome.images.map((image) => ({ width: image.width, height: image.height, quality: job.params.quality }));
  return {
    jobId: job.id,
    from,
    to: "succeeded",
    chargeMicros: settledCost(model, delivered, job.estimatedMicros),
    provider: outcome.provider,
    fallbackLayer: outcome.fallbackLayer,
    upstreamRequestId: outcome.upstreamRequestId,
  };
}

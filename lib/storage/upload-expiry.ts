import "server-only";
import { sql } from "drizzle-orm";
import { getDb, selectRows } from "@/db/client";
import { deleteExpiredSessions } from "@/lib/auth/sessions";
import { logger } from "@/lib/http/logger";
import { blobStore } from "./blob-store";
import { sweepUnrecordedOutputsStep } from "./unrecorded-outputs";
import { UPLOAD_TTL_HOURS } from "./uploads";

// Uploads are reference images for jobs: kept for a day (their signed URLs expire with them),
// then deleted — rows, bytes and thumbnails — unless a queued or processing job still names
// them. Without this, every upload would be free disk for ever.

const thumbnailKey = (fileId: string) => `thumbnail/${fileId.slice(-2)}/${fileId}.webp`;

/** Deletes every upload older than the TTL that no active job refers to; returns how many. */
export async function expireUploads(input: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = input.now ?? new Date();
  const cutoff = new Date(now.getTime() - UPLOAD_TTL_HOURS * 60 * 60 * 1000);
  const db = await getDb();
  // A job refers to an upload through the file's id in the signed URLs of its params.
  const gone = await selectRows<{ id: string; storage_key: string }>(
    db,
    sql`delete from files f
      where f.id in (
        select id from files candidate
        where candidate.purpose = 'upload' and candidate.created_at < ${cutoff.toISOString()}::timestamptz
          and not exists (
            select 1 from jobs j
            where j.account_id = candidate.account_id and j.status in ('queued', 'processing')
              and strpos(j.params::text, candidate.id) > 0)
        limit ${input.limit ?? 1000})
      returning f.id, f.storage_key`,
  );
  await Promise.all(gone.flatMap((row) => [blobStore().delete(row.storage_key), blobStore().delete(thumbnailKey(row.id))]));
  return gone.length;
}

const state = globalThis as unknown as { __easelStorageCleanup?: NodeJS.Timeout };

/**
 * Runs the cleanups every EASEL_CLEANUP_INTERVAL_MS (default 10 minutes) in this process:
 * expired uploads, the rows of expired sessions, and a step of the walk for images a dead worker
 * stored but never recorded (unrecorded-outputs.ts). Safe on any number of instances at once
 * (each deletion happens once; the others find nothing).
 */
export function startPeriodicCleanup(): void {
  if (state.__easelStorageCleanup) return;
  const interval = Math.max(1000, Number(process.env.EASEL_CLEANUP_INTERVAL_MS ?? 600_000) || 600_000);
  const run = async () => {
    try {
      const [uploads, sessions, unrecorded] = [await expireUploads(), await deleteExpiredSessions(), await sweepUnrecordedOutputsStep()];
      if (uploads + sessions + unrecorded > 0) logger.info({ uploads, sessions, unrecorded_outputs: unrecorded }, "expired uploads, sessions and unrecorded outputs deleted");
    } catch (error) {
      logger.error({ err: error }, "periodic cleanup failed");
    }
  };
  state.__easelStorageCleanup = setInterval(run, interval);
  state.__easelStorageCleanup.unref();
  void run();
}

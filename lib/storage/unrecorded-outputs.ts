import "server-only";
import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { files } from "@/db/schema";
import { blobStore, type BlobStore } from "./blob-store";

// A worker stores a job's images first and records them in the transaction that settles the
// job. One that dies between the two leaves bytes that no record names: never shown, never
// charged, but kept. This sweep finds them — it walks the store's outputs in key order, a page
// at a time — and deletes those written more than a day ago that no file record names. A day is
// far past any job's deadline, after which no settlement can record them any more (and the
// bytes of a result refused late are deleted by the worker itself).

const GRACE_MS = 24 * 60 * 60 * 1000;
const PAGE = 1000;

/** `output/shard/file_….png` → the file's id. */
const fileIdOf = (key: string) => key.slice(key.lastIndexOf("/") + 1).split(".")[0]!;

/**
 * One page of the sweep, from the first key after `after`: deletes what is unrecorded and older
 * than a day at `now`; `next` is where the next page starts, null when the walk is done.
 */
export async function sweepUnrecordedOutputs(
  input: { after?: string; now?: Date; store?: BlobStore; limit?: number } = {},
): Promise<{ deleted: string[]; next: string | null }> {
  const store = input.store ?? blobStore();
  const limit = input.limit ?? PAGE;
  const listed = await store.list("output/", { after: input.after, limit });
  const cutoff = (input.now ?? new Date()).getTime() - GRACE_MS;
  const old = listed.filter((blob) => blob.writtenAt.getTime() < cutoff);
  let deleted: string[] = [];
  if (old.length > 0) {
    const db = await getDb();
    const ids = old.map((blob) => fileIdOf(blob.key));
    const recorded = new Set((await db.select({ id: files.id }).from(files).where(inArray(files.id, ids))).map((row) => row.id));
    deleted = old.filter((blob) => !recorded.has(fileIdOf(blob.key))).map((blob) => blob.key);
    await Promise.all(deleted.map((key) => store.delete(key)));
  }
  return { deleted, next: listed.length < limit ? null : listed[listed.length - 1]!.key };
}

const state = globalThis as unknown as { __easelOutputSweepAfter?: string };

/**
 * Up to `pages` pages of the sweep, from where this process's last run stopped (from the start
 * once a walk is done); how many blobs it deleted.
 */
export async function sweepUnrecordedOutputsStep(pages = 10): Promise<number> {
  let deleted = 0;
  for (let page = 0; page < pages; page++) {
    const result = await sweepUnrecordedOutputs({ after: state.__easelOutputSweepAfter });
    deleted += result.deleted.length;
    state.__easelOutputSweepAfter = result.next ?? undefined;
    if (result.next === null) break;
  }
  return deleted;
}

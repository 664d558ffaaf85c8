import "server-only";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { files, type FileRecord } from "@/db/schema";
import { newId } from "@/lib/ids";
import { blobStore } from "./blob-store";

export const FILE_EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/svg+xml": "svg",
};

/** Where a file's bytes are kept: `purpose/shard/id.ext`, sharded by the id's last (random) characters. */
export function storageKeyOf(file: { id: string; purpose: FileRecord["purpose"]; contentType: string }): string {
  const extension = FILE_EXTENSIONS[file.contentType];
  if (!extension) throw new Error(`Cannot store ${file.contentType}`);
  return `${file.purpose}/${file.id.slice(-2)}/${file.id}.${extension}`;
}

export type NewFile = {
  accountId: string;
  purpose: FileRecord["purpose"];
  bytes: Buffer;
  contentType: string;
  width: number | null;
  height: number | null;
};

/**
 * Writes a file's bytes and returns its record, not yet inserted: the caller inserts it in the
 * transaction that gives the file its meaning (a job's settlement), so a record never points at
 * nothing and a rolled-back job leaves only bytes to delete.
 */
export async function writeFileBytes(input: NewFile): Promise<FileRecord> {
  const id = newId("file");
  const storageKey = storageKeyOf({ id, purpose: input.purpose, contentType: input.contentType });
  // Nobody can ask for the file before its record is committed, so the write is "fresh".
  await blobStore().put(storageKey, input.bytes, { fresh: true, contentType: input.contentType });
  return {
    id,
    accountId: input.accountId,
    purpose: input.purpose,
    contentType: input.contentType,
    byteSize: input.bytes.length,
    width: input.width,
    height: input.height,
    storageKey,
    sha256: createHash("sha256").update(input.bytes).digest("hex"),
    createdAt: new Date(),
  };
}

export async function insertFiles(q: Queryable, records: FileRecord[]): Promise<void> {
  if (records.length > 0) await q.insert(files).values(records);
}

/** Writes the bytes and inserts the record (an upload: nothing else to wait for). */
export async function storeFile(input: NewFile): Promise<FileRecord> {
  const file = await writeFileBytes(input);
  await insertFiles(await getDb(), [file]);
  return file;
}

/** Deletes the bytes of files whose records were never committed (a discarded late result). */
export async function deleteFileBytes(records: FileRecord[]): Promise<void> {
  await Promise.all(records.map((file) => blobStore().delete(file.storageKey)));
}

export async function findFile(fileId: string): Promise<FileRecord | null> {
  const db = await getDb();
  const [file] = await db.select().from(files).where(eq(files.id, fileId)).limit(1);
  return file ?? null;
}

/** One of the account's files; anyone else's is, to this caller, not there. */
export async function findAccountFile(input: { accountId: string; fileId: string }): Promise<FileRecord | null> {
  const db = await getDb();
  const [file] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, input.fileId), eq(files.accountId, input.accountId)))
    .limit(1);
  return file ?? null;
}

export async function readFileBytes(file: FileRecord): Promise<Buffer | null> {
  return blobStore().get(file.storageKey);
}

/** The file's bytes as a stream, for serving it without holding it whole. */
export async function openFileBytes(file: FileRecord) {
  return blobStore().open(file.storageKey);
}

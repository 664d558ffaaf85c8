import "server-only";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { dataDir } from "@/db/client";
import { S3BlobStore, s3SettingsFromEnv } from "./s3-blob-store";

/** A blob being read: its bytes as they arrive, and how many there are. */
export type OpenBlob = { body: ReadableStream<Uint8Array>; size: number };

/** How a presigned URL answers: for how long, and with which response headers. */
export type PresignOptions = { expiresAt: Date; signedAt: Date; contentType: string; contentDisposition: string; cacheControl: string };

/** A stored blob as a listing names it: its key, and when it was last written. */
export type ListedBlob = { key: string; writtenAt: Date };

/** Where file bytes live: on disk (one instance), or in an S3-compatible bucket (any number). */
export interface BlobStore {
  /**
   * Stores bytes under `key`. `fresh`: the key is new and nobody can ask for it until its
   * record is committed, so the write needs no protection from readers.
   */
  put(key: string, bytes: Buffer, options?: { fresh?: boolean; contentType?: string }): Promise<void>;
  /** null when there is no such blob. */
  get(key: string): Promise<Buffer | null>;
  /** The blob as a stream, for serving it without holding it whole; null when there is none. */
  open(key: string): Promise<OpenBlob | null>;
  delete(key: string): Promise<void>;
  /** Up to `limit` blobs under `prefix` (`purpose/`), in key order, from the first key after `after`. */
  list(prefix: string, options: { after?: string; limit: number }): Promise<ListedBlob[]>;
  /** A URL at which the store itself serves the blob until `expiresAt`; only stores that can. */
  presign?(key: string, options: PresignOptions): Promise<string>;
}

/** `purpose/name.ext`, or `purpose/shard/name.ext`. */
const KEY = /^[a-z]+\/(?:[0-9a-z]{2}\/)?[0-9a-z_]+\.[a-z]+$/;

/**
 * Blobs as files under one directory. A write that readers might see is atomic (a temporary
 * file renamed into place): a reader never sees half a file. Keys spread files over shard
 * directories, so that concurrent writes do not all queue for one directory's lock.
 */
export class DiskBlobStore implements BlobStore {
  private readonly madeDirectories = new Set<string>();

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    // Keys are made by us, never by callers; the check keeps a bug from escaping the root.
    if (!KEY.test(key)) throw new Error(`Bad blob key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Buffer, options: { fresh?: boolean; contentType?: string } = {}): Promise<void> {
    const target = this.pathOf(key);
    const write = async () => {
      if (options.fresh) return fs.writeFile(target, bytes, { flag: "wx" }); // "wx": never over another blob
      const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      await fs.writeFile(temporary, bytes);
      await fs.rename(temporary, target);
    };
    const directory = path.dirname(target);
    if (!this.madeDirectories.has(directory)) await this.makeDirectory(directory);
    try {
      await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      await this.makeDirectory(directory); // removed since we made it
      await write();
    }
  }

  private async makeDirectory(directory: string): Promise<void> {
    await fs.mkdir(directory, { recursive: true });
    this.madeDirectories.add(directory);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async open(key: string): Promise<OpenBlob | null> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    // Opened first, then measured: a blob replaced meanwhile is read whole from the open handle.
    const { size } = await handle.stat();
    const stream = createReadStream("", { fd: handle, autoClose: true });
    return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, size };
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string, options: { after?: string; limit: number }): Promise<ListedBlob[]> {
    if (!/^[a-z]+\/$/.test(prefix)) throw new Error(`Bad blob prefix ${prefix}`);
    const after = options.after ?? "";
    const listed: ListedBlob[] = [];
    // Keys are `purpose/shard/name.ext` (or, older, `purpose/name.ext`): walking the names of each
    // level in order walks the keys in order. A shard wholly before `after` is not opened.
    const walk = async (relative: string): Promise<void> => {
      for (const entry of (await readDirectory(path.join(this.root, relative))).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (listed.length >= options.limit) return;
        const key = `${relative}${entry.name}`;
        if (entry.isDirectory()) {
          if (after.startsWith(`${key}/`) || `${key}/` > after) await walk(`${key}/`);
        } else if (key > after && KEY.test(key)) {
          const stat = await fs.stat(path.join(this.root, key)).catch(() => null); // deleted meanwhile
          if (stat) listed.push({ key, writtenAt: stat.mtime });
        }
      }
    };
    await walk(prefix);
    return listed;
  }
}

async function readDirectory(directory: string) {
  try {
    return await fs.readdir(directory, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

const state = globalThis as unknown as { __easelBlobStore?: BlobStore };

/**
 * The process's store: the `S3_BUCKET` bucket when it is set, else `EASEL_DATA_DIR/files` (a
 * temporary directory when PGlite is in memory).
 */
export function blobStore(): BlobStore {
  if (!state.__easelBlobStore) {
    const s3 = s3SettingsFromEnv();
    if (s3) return (state.__easelBlobStore = new S3BlobStore(s3));
    const inMemory = process.env.EASEL_DATA_DIR === "memory://";
    const root = inMemory ? path.join(os.tmpdir(), `easel-files-${process.pid}`) : path.join(dataDir(), "files");
    state.__easelBlobStore = new DiskBlobStore(root);
  }
  return state.__easelBlobStore;
}

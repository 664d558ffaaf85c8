import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dataDir } from "@/db/client";

/** Where file bytes live. Disk today; an S3-compatible store can implement the same three calls. */
export interface BlobStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** null when there is no such blob. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z]+\/[0-9a-z_]+\.[a-z]+$/;

/** Blobs as files under one directory. Writes are atomic: a reader never sees half a file. */
export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    // Keys are made by us, never by callers; the check keeps a bug from escaping the root.
    if (!KEY.test(key)) throw new Error(`Bad blob key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, target);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}

const state = globalThis as unknown as { __easelBlobStore?: BlobStore };

/** The process's store: `EASEL_DATA_DIR/files` (a temporary directory when PGlite is in memory). */
export function blobStore(): BlobStore {
  if (!state.__easelBlobStore) {
    const inMemory = process.env.EASEL_DATA_DIR === "memory://";
    const root = inMemory ? path.join(os.tmpdir(), `easel-files-${process.pid}`) : path.join(dataDir(), "files");
    state.__easelBlobStore = new DiskBlobStore(root);
  }
  return state.__easelBlobStore;
}

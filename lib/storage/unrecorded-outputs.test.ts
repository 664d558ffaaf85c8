// The sweep for images stored but never recorded (a worker died between storing and settling):
// it deletes only outputs older than a day that no file record names, a page at a time.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import type { FileRecord } from "@/db/schema";
import { newId } from "@/lib/ids";
import { createTestAccount } from "@/lib/testing/fixtures";
import { DiskBlobStore } from "./blob-store";
import { insertFiles, storageKeyOf } from "./files";
import { sweepUnrecordedOutputs } from "./unrecorded-outputs";

const DAY = 24 * 60 * 60 * 1000;
let root: string;
let store: DiskBlobStore;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "easel-sweep-"));
  store = new DiskBlobStore(root);
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

/** Bytes in the store for a new file of `purpose`, and — when `recorded` — its record. */
async function stored(accountId: string, purpose: FileRecord["purpose"], recorded: boolean): Promise<string> {
  const id = newId("file");
  const storageKey = storageKeyOf({ id, purpose, contentType: "image/png" });
  await store.put(storageKey, Buffer.from(id), { fresh: true });
  if (recorded) {
    const record = { id, accountId, purpose, contentType: "image/png", byteSize: id.length, width: 1, height: 1, storageKey, sha256: "0".repeat(64), createdAt: new Date() };
    await insertFiles(await getDb(), [record]);
  }
  return storageKey;
}

describe("the sweep of unrecorded outputs", () => {
  test("deletes outputs older than a day that no record names — not recorded ones, younger ones or uploads", async () => {
    const { account } = await createTestAccount();
    const recorded = await Promise.all(Array.from({ length: 3 }, () => stored(account.id, "output", true)));
    const unrecorded = await Promise.all(Array.from({ length: 4 }, () => stored(account.id, "output", false)));
    const upload = await stored(account.id, "upload", false);

    // Written just now: nothing is a day old yet.
    expect((await sweepUnrecordedOutputs({ store })).deleted).toEqual([]);

    // Two days on, a page of 3 at a time, from where the last stopped.
    const later = new Date(Date.now() + 2 * DAY);
    const deleted: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await sweepUnrecordedOutputs({ store, now: later, after, limit: 3 });
      deleted.push(...page.deleted);
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(3); // 7 outputs: 3, 3, 1
    expect(deleted.sort()).toEqual([...unrecorded].sort());
    for (const key of unrecorded) expect(await store.get(key)).toBeNull();
    for (const key of [...recorded, upload]) expect(await store.get(key)).not.toBeNull();
  });
});

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { expectListingInKeyOrder } from "@/lib/testing/blob-store-listing";
import { DiskBlobStore } from "./blob-store";

let root: string;
let store: DiskBlobStore;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "easel-blobs-"));
  store = new DiskBlobStore(root);
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

describe("DiskBlobStore", () => {
  test("stores under shard directories and reads back; a missing blob is null", async () => {
    await store.put("output/ab/file_1ab.png", Buffer.from("one"), { fresh: true });
    await store.put("thumbnail/cd/file_1cd.webp", Buffer.from("two"));
    expect((await store.get("output/ab/file_1ab.png"))?.toString()).toBe("one");
    expect((await store.get("thumbnail/cd/file_1cd.webp"))?.toString()).toBe("two");
    expect(await fs.readdir(path.join(root, "output", "ab"))).toEqual(["file_1ab.png"]); // no temporary left
    expect(await store.get("output/ab/file_2ab.png")).toBeNull();
  });

  test("a fresh write never replaces another blob; an ordinary one replaces atomically", async () => {
    await store.put("output/ab/file_1ab.png", Buffer.from("first"), { fresh: true });
    await expect(store.put("output/ab/file_1ab.png", Buffer.from("second"), { fresh: true })).rejects.toMatchObject({ code: "EEXIST" });
    expect((await store.get("output/ab/file_1ab.png"))?.toString()).toBe("first");
    await store.put("output/ab/file_1ab.png", Buffer.from("third"));
    expect((await store.get("output/ab/file_1ab.png"))?.toString()).toBe("third");
  });

  test("lists one purpose's blobs in key order, a page at a time", () => expectListingInKeyOrder(store));

  test("a shard directory removed after it was made is made again", async () => {
    await store.put("output/ab/file_1ab.png", Buffer.from("one"), { fresh: true });
    await fs.rm(path.join(root, "output"), { recursive: true });
    await store.put("output/ab/file_2ab.png", Buffer.from("two"), { fresh: true });
    expect((await store.get("output/ab/file_2ab.png"))?.toString()).toBe("two");
  });

  test("opens a blob as a stream of its bytes, with its size; a missing one is null", async () => {
    const bytes = Buffer.alloc(300_000, 7); // several chunks of the read stream
    await store.put("output/ab/file_1ab.png", bytes, { fresh: true });
    const opened = await store.open("output/ab/file_1ab.png");
    expect(opened?.size).toBe(bytes.length);
    expect(Buffer.from(await new Response(opened!.body).arrayBuffer())).toEqual(bytes);
    expect(await store.open("output/ab/file_2ab.png")).toBeNull();
  });

  test("refuses keys that could leave its directory", async () => {
    for (const key of ["../etc/passwd", "output/../../x.png", "output/ab/cd/x.png", "/abs.png", "output/AB/x.png"]) {
      await expect(store.put(key, Buffer.from("x"))).rejects.toThrow("Bad blob key");
    }
  });
});

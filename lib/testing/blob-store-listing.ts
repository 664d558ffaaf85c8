// What every blob store's `list` must do, checked against each store (disk and S3): keys of
// one prefix only, in key order across shards, a page at a time from after a given key.
import { expect } from "vitest";
import type { BlobStore } from "@/lib/storage/blob-store";

/**
 * `fullPages: false` for s3rver, which fails on any page that stops short of the end (it makes
 * its continuation token with DES, which Node's OpenSSL no longer has): there every page asked
 * for is the last one, and `after` alone steps through the keys.
 */
export async function expectListingInKeyOrder(store: BlobStore, options: { fullPages: boolean } = { fullPages: true }): Promise<void> {
  const keys = ["output/zz/file_9zz.png", "output/ab/file_2ab.png", "output/ab/file_1ab.png", "output/cd/file_1cd.webp"];
  for (const key of keys) await store.put(key, Buffer.from(key), { fresh: true });
  await store.put("upload/ab/file_3ab.png", Buffer.from("another purpose"), { fresh: true });
  const started = Date.now();

  const sorted = [...keys].sort();
  const all = await store.list("output/", { limit: 10 });
  expect(all.map((blob) => blob.key)).toEqual(sorted);
  if (options.fullPages) {
    const first = await store.list("output/", { limit: 3 });
    expect(first.map((blob) => blob.key)).toEqual(sorted.slice(0, 3));
    expect((await store.list("output/", { after: first[2]!.key, limit: 3 })).map((blob) => blob.key)).toEqual(sorted.slice(3));
  }
  // From inside a shard, and past the last key.
  expect((await store.list("output/", { after: "output/ab/file_1ab.png", limit: 10 })).map((blob) => blob.key)).toEqual(sorted.slice(1));
  expect(await store.list("output/", { after: sorted[3], limit: 10 })).toEqual([]);
  // When each was written, to the second (S3 keeps no finer time).
  for (const blob of all) expect(Math.abs(blob.writtenAt.getTime() - started)).toBeLessThan(60_000);
  expect(await store.list("thumbnail/", { limit: 10 })).toEqual([]);
}

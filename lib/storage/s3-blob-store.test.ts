// The S3 store against a real S3-protocol server, alone and as the store jobs write to.
import "@/lib/testing/isolated-database";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { JobWorker } from "@/lib/jobs/worker";
import { presentJob } from "@/lib/jobs/present";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { startTestS3, type TestS3 } from "@/lib/testing/s3-server";
import { blobStore } from "./blob-store";
import { serveFile } from "./serve";
import { S3BlobStore, s3SettingsFromEnv } from "./s3-blob-store";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(() => s3.close());

describe("the S3 blob store", () => {
  test("puts, gets and deletes; a missing key is null", async () => {
    const store = new S3BlobStore(s3.settings);
    const bytes = Buffer.from("not really a png");
    await store.put("output/ab/file_x.png", bytes, { fresh: true });
    expect(await store.get("output/ab/file_x.png")).toEqual(bytes);
    await store.delete("output/ab/file_x.png");
    expect(await store.get("output/ab/file_x.png")).toBeNull();
    await expect(store.delete("output/ab/file_x.png")).resolves.toBeUndefined();
  });

  test("is chosen by S3_BUCKET, with path style and the endpoint from the environment", () => {
    expect(s3SettingsFromEnv({})).toBeNull();
    expect(s3SettingsFromEnv(s3.env)).toEqual(s3.settings);
  });

  test("a job's images are written to the bucket, once each, and served from it", async () => {
    const saved = { ...process.env };
    const state = globalThis as unknown as { __easelBlobStore?: unknown };
    const before = state.__easelBlobStore;
    Object.assign(process.env, s3.env);
    state.__easelBlobStore = undefined;
    const worker = new JobWorker();
    try {
      expect(blobStore()).toBeInstanceOf(S3BlobStore);
      await worker.start();
      const { principal } = await createTestAccount();
      const submitted = await submitJob(principal, { prompt: "a red kite [[easel:latency=0]]", n: 2 });
      const job = await waitForTerminal(principal, submitted.id);
      expect(job.status).toBe("succeeded");

      const listed = await new S3BlobStore(s3.settings).client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: "output/" }));
      const presented = await presentJob(job, "http://localhost:3000");
      const keys = (listed.Contents ?? []).map((object) => object.Key!);
      for (const image of presented.images) {
        const fileId = new URL(image.url).pathname.split("/").pop()!;
        expect(keys.filter((key) => key.includes(fileId))).toHaveLength(1);
        const file = await serveFile(new URL(image.url).searchParams, fileId);
        expect(file.headers["Content-Type"]).toBe("image/png");
        const served = Buffer.from(file.bytes);
        expect(served.subarray(1, 4).toString()).toBe("PNG");
      }
      await assertLedgerInvariants();
    } finally {
      await worker.stop(0);
      process.env = saved;
      state.__easelBlobStore = before;
    }
  });
});

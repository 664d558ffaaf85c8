// The S3 store against a real S3-protocol server, alone and as the store jobs write to; and
// presigned file URLs, which the bucket serves itself.
import "@/lib/testing/isolated-database";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { startQueueProcessing } from "@/lib/jobs/runtime";
import { JobWorker } from "@/lib/jobs/worker";
import { presentJob } from "@/lib/jobs/present";
import { GET as getFile } from "@/app/v1/files/[id]/route";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { expectListingInKeyOrder } from "@/lib/testing/blob-store-listing";
import { startTestS3, type TestS3 } from "@/lib/testing/s3-server";
import { blobStore } from "./blob-store";
import { checkFileUrlSettings, fileUrlMode } from "./file-urls";
import { storeFile } from "./files";
import { serveFile } from "./serve";
import { S3BlobStore, s3SettingsFromEnv } from "./s3-blob-store";
import { signFileUrl } from "./signed-urls";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(() => s3.close());

/** Runs `body` with the app's files in the test bucket (and `env` set), a worker running. */
async function withBucket(env: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const saved = { ...process.env };
  const state = globalThis as unknown as { __easelBlobStore?: unknown };
  const before = state.__easelBlobStore;
  Object.assign(process.env, s3.env, env);
  state.__easelBlobStore = undefined;
  const worker = new JobWorker();
  try {
    expect(blobStore()).toBeInstanceOf(S3BlobStore);
    await worker.start();
    await body();
    await assertLedgerInvariants();
  } finally {
    await worker.stop(0);
    process.env = saved;
    state.__easelBlobStore = before;
  }
}

async function finishedJob(n: number) {
  const { principal } = await createTestAccount();
  const submitted = await submitJob(principal, { prompt: "a red kite [[easel:latency=0]]", n });
  const job = await waitForTerminal(principal, submitted.id);
  expect(job.status).toBe("succeeded");
  return job;
}

const fileIdOf = (url: string) => new URL(url).pathname.split("/").pop()!;

describe("the S3 blob store", () => {
  test("puts, gets, opens and deletes; a missing key is null", async () => {
    const store = new S3BlobStore(s3.settings);
    const bytes = Buffer.from("not really a png");
    await store.put("output/ab/file_x.png", bytes, { fresh: true, contentType: "image/png" });
    expect(await store.get("output/ab/file_x.png")).toEqual(bytes);
    const opened = await store.open("output/ab/file_x.png");
    expect(opened?.size).toBe(bytes.length);
    expect(Buffer.from(await new Response(opened!.body).arrayBuffer())).toEqual(bytes);
    await store.delete("output/ab/file_x.png");
    expect(await store.get("output/ab/file_x.png")).toBeNull();
    expect(await store.open("output/ab/file_x.png")).toBeNull();
    await expect(store.delete("output/ab/file_x.png")).resolves.toBeUndefined();
  });

  test("lists one purpose's objects in key order, a page at a time", async () => {
    // A bucket of its own: the other tests' jobs write outputs to the shared one.
    const store = new S3BlobStore({ ...s3.settings, bucket: "easel-listing" });
    await store.client.send(new CreateBucketCommand({ Bucket: "easel-listing" }));
    await expectListingInKeyOrder(store, { fullPages: false });
  });

  test("is chosen by S3_BUCKET, with path style and the endpoint from the environment", () => {
    expect(s3SettingsFromEnv({})).toBeNull();
    expect(s3SettingsFromEnv(s3.env)).toEqual(s3.settings);
  });

  test("a job's images are written to the bucket, once each, and streamed from it with our headers", async () => {
    await withBucket({}, async () => {
      const job = await finishedJob(2);
      const listed = await new S3BlobStore(s3.settings).client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: "output/" }));
      const presented = await presentJob(job, "http://localhost:3000");
      const keys = (listed.Contents ?? []).map((object) => object.Key!);
      for (const image of presented.images) {
        expect(new URL(image.url).origin).toBe("http://localhost:3000");
        const fileId = fileIdOf(image.url);
        expect(keys.filter((key) => key.includes(fileId))).toHaveLength(1);
        const file = await serveFile(new URL(image.url).searchParams, fileId);
        if (!("body" in file)) throw new Error("expected the bytes, not a redirect");
        expect(file.headers).toMatchObject({ "Content-Type": "image/png", "X-Content-Type-Options": "nosniff" });
        const served = Buffer.from(await new Response(file.body as BodyInit).arrayBuffer());
        expect(served.subarray(1, 4).toString()).toBe("PNG");
        expect(file.headers["Content-Length"]).toBe(String(served.length));
      }
    });
  });
});

describe("EASEL_FILE_URLS=presigned", () => {
  test("a job's image URLs are the bucket's own, served by it with our type and name, the same on every read", async () => {
    await withBucket({ EASEL_FILE_URLS: "presigned" }, async () => {
      const job = await finishedJob(1);
      const [image] = (await presentJob(job, "http://localhost:3000")).images;
      expect(new URL(image!.url).origin).toBe(s3.settings.endpoint);
      expect(new URL(image!.url).searchParams.get("X-Amz-Signature")).toBeTruthy();
      expect((await presentJob(job, "http://localhost:3000")).images[0]!.url).toBe(image!.url);

      const answer = await fetch(image!.url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("image/png");
      expect(answer.headers.get("content-disposition")).toMatch(/^inline; filename="file_[0-9a-z]{26}\.png"$/);
      expect(Buffer.from(await answer.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
      // (s3rver does not check V4 signatures, so a forged one is not tested here: the signing
      // is the AWS SDK's, and AWS, MinIO and R2 check it.)
    });
  });

  test("our signed URLs (the thumbnail, an upload's) redirect to the bucket, the thumbnail made first", async () => {
    await withBucket({ EASEL_FILE_URLS: "presigned" }, async () => {
      const job = await finishedJob(1);
      const [image] = (await presentJob(job, "http://localhost:3000")).images;
      const thumbnail = new URL(image!.thumbnail_url);
      expect(thumbnail.origin).toBe("http://localhost:3000");
      const served = await call(getFile, apiRequest(`${thumbnail.pathname}${thumbnail.search}`), { id: fileIdOf(image!.thumbnail_url) });
      expect(served.status).toBe(302);
      const location = served.headers.get("location")!;
      expect(new URL(location).origin).toBe(s3.settings.endpoint);
      const answer = await fetch(location);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("image/webp");
      expect(Buffer.from(await answer.arrayBuffer()).subarray(8, 12).toString()).toBe("WEBP");

      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#08f" } }).png().toBuffer();
      const upload = await storeFile({ accountId: job.accountId, purpose: "upload", bytes: png, contentType: "image/png", width: 4, height: 4 });
      const signed = new URL(signFileUrl(upload.id, "http://localhost:3000", { ttlSeconds: 60 }).url);
      const redirected = await serveFile(new URL(`${signed.search}&download`, signed).searchParams, upload.id);
      if (!("redirectTo" in redirected)) throw new Error("expected a redirect");
      const downloaded = await fetch(redirected.redirectTo);
      expect(downloaded.headers.get("content-disposition")).toBe(`attachment; filename="${upload.id}.png"`);
      expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(png);
    });
  });

  test("is refused without a bucket — by the server and by a worker at start — and a mode it does not know is a configuration error", async () => {
    const saved = process.env.EASEL_FILE_URLS;
    process.env.EASEL_FILE_URLS = "presigned";
    try {
      expect(() => checkFileUrlSettings()).toThrow("EASEL_FILE_URLS=presigned needs files in S3-compatible storage");
      await expect(startQueueProcessing()).rejects.toThrow("EASEL_FILE_URLS=presigned needs files in S3-compatible storage");
    } finally {
      if (saved === undefined) delete process.env.EASEL_FILE_URLS;
      else process.env.EASEL_FILE_URLS = saved;
    }
    expect(fileUrlMode({})).toBe("signed");
    expect(fileUrlMode({ EASEL_FILE_URLS: "presigned" })).toBe("presigned");
    expect(() => fileUrlMode({ EASEL_FILE_URLS: "public" })).toThrow('EASEL_FILE_URLS must be "signed" or "presigned"');
  });
});

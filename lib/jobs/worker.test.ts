import "@/lib/testing/isolated-database";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { GET as getFile } from "@/app/v1/files/[id]/route";
import { GET as getJobRoute } from "@/app/v1/jobs/[id]/route";
import { getDb } from "@/db/client";
import { files } from "@/db/schema";
import { blobStore } from "@/lib/storage/blob-store";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { listLedgerEntries } from "@/lib/billing/statement";
import { toUsd } from "@/lib/money";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { stopWorkersAfterEach } from "@/lib/testing/test-workers";
import { submitJob, waitForStatus, waitForTerminal } from "@/lib/testing/jobs";
import { cancelJob } from "./cancel";
import { claimJobs } from "./claim";
import { executeJob } from "./execute";
import { settleOrDiscard } from "./settle";

const startWorker = stopWorkersAfterEach();

const moneyOf = async (accountId: string) => {
  const balance = (await getBalance({ accountId }))!;
  return { balance: toUsd(balance.balanceMicros), held: toUsd(balance.heldMicros) };
};

describe("the worker", () => {
  test("runs a job to images you can download, and charges exactly the estimate", async () => {
    const { secret, account, principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker();
    const job = await submitJob(principal, { model: "recraft-v4", prompt: "a red lighthouse at dusk", n: 2, size: "16:9" });
    const done = await waitForTerminal(principal, job.id);
    expect(done.status).toBe("succeeded");
    expect(done).toMatchObject({ provider: "local", fallbackLayer: 0, attempts: 1, chargedMicros: 108_000n });

    const shown = await call(getJobRoute, apiRequest(`/v1/jobs/${job.id}`, { key: secret }), { id: job.id });
    expect(shown.body).toMatchObject({ status: "succeeded", charged_amount: 0.108, released_amount: 0, provider: "local", fallback_layer: 0 });
    expect(shown.body.images).toHaveLength(2);
    for (const image of shown.body.images) {
      expect(image).toMatchObject({ width: 1344, height: 768, content_type: "image/png" });
      const url = new URL(image.url);
      const file = await getFile(new Request(image.url), { params: Promise.resolve({ id: url.pathname.split("/").pop()! }) });
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("image/png");
      const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["png", 1344, 768]);
      const thumbnail = await getFile(new Request(image.thumbnail_url), { params: Promise.resolve({ id: url.pathname.split("/").pop()! }) });
      expect(thumbnail.headers.get("content-type")).toBe("image/webp");
      const thumb = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
      expect([thumb.format, thumb.width, thumb.height]).toEqual(["webp", 512, 293]);
    }
    expect(await moneyOf(account.id)).toEqual({ balance: 0.892, held: 0 });
  });

  test("a vector model delivers SVG, served so that it cannot run script", async () => {
    const { secret, principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker();
    const job = await submitJob(principal, { model: "recraft-v4-vector", prompt: "a navy psi logo" });
    expect((await waitForTerminal(principal, job.id)).status).toBe("succeeded");
    const shown = await call(getJobRoute, apiRequest(`/v1/jobs/${job.id}`, { key: secret }), { id: job.id });
    const [image] = shown.body.images;
    expect(image.content_type).toBe("image/svg+xml");
    const file = await getFile(new Request(image.url), { params: Promise.resolve({ id: new URL(image.url).pathname.split("/").pop()! }) });
    expect(file.headers.get("content-type")).toBe("image/svg+xml");
    expect(file.headers.get("content-security-policy")).toContain("sandbox");
    expect(await file.text()).toMatch(/^<svg|^<\?xml/);
  });

  test("a provider failure fails the job and releases the whole hold", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker();
    const job = await submitJob(principal, { prompt: "doomed [[easel:fail]]", n: 3 });
    const done = await waitForTerminal(principal, job.id);
    expect(done).toMatchObject({ status: "failed", chargedMicros: 0n, errorCode: "generation_failed", provider: "local" });
    expect(await moneyOf(account.id)).toEqual({ balance: 1, held: 0 });
    const release = await listLedgerEntries({ accountId: account.id, jobId: job.id, type: "release" });
    expect(release.map((e) => e.amountMicros)).toEqual([162_000n]);
  });

  test("a provider that never answers times out, is retried, and the job fails released", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker({ providerTimeoutMs: 150, providerRetries: 1 });
    const job = await submitJob(principal, { prompt: "hang [[easel:timeout]]" });
    const done = await waitForTerminal(principal, job.id);
    expect(done).toMatchObject({ status: "failed", errorCode: "provider_timeout", chargedMicros: 0n });
    expect(await moneyOf(account.id)).toEqual({ balance: 1, held: 0 });
  });

  test("transient failures are retried with backoff until one succeeds", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker({ providerRetries: 2 });
    const job = await submitJob(principal, { prompt: "flaky [[easel:flaky=2]]" });
    expect(await waitForTerminal(principal, job.id)).toMatchObject({ status: "succeeded", chargedMicros: 54_000n });
  });

  test("3 of 4 images: pays for 3 and releases the fourth", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker();
    const job = await submitJob(principal, { prompt: "short delivery [[easel:images=3]]", n: 4 });
    const done = await waitForTerminal(principal, job.id);
    expect(done).toMatchObject({ status: "succeeded", chargedMicros: 162_000n });
    expect(await moneyOf(account.id)).toEqual({ balance: 0.838, held: 0 });
    const entries = await listLedgerEntries({ accountId: account.id, jobId: job.id });
    expect(entries.map((e) => [e.type, e.amountMicros])).toEqual([
      ["release", 54_000n],
      ["charge", 162_000n],
      ["hold", 216_000n],
    ]);
  });

  test("flux-2-pro is charged on the size returned: smaller pays less, larger pays the estimate", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker();
    const smaller = await submitJob(principal, { model: "flux-2-pro", prompt: "big ask [[easel:size=1024x1024]]", size: "2048x2048" });
    const larger = await submitJob(principal, { model: "flux-2-pro", prompt: "small ask [[easel:size=2048x2048]]", size: "1024x1024" });
    expect(smaller.estimatedMicros).toBe(101_250n);
    expect(await waitForTerminal(principal, smaller.id)).toMatchObject({ status: "succeeded", chargedMicros: 40_500n });
    expect(larger.estimatedMicros).toBe(40_500n);
    expect(await waitForTerminal(principal, larger.id)).toMatchObject({ status: "succeeded", chargedMicros: 40_500n });
  });

  test("a job canceled while processing is charged nothing and its late result is discarded", async () => {
    const { secret, account, principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker();
    const job = await submitJob(principal, { prompt: "slow [[easel:latency=800]]" });
    await waitForStatus(principal, job.id, "processing");
    await cancelJob({ accountId: account.id, jobId: job.id });
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past the render and a heartbeat
    const shown = await call(getJobRoute, apiRequest(`/v1/jobs/${job.id}`, { key: secret }), { id: job.id });
    expect(shown.body).toMatchObject({ status: "canceled", charged_amount: 0, images: [] });
    expect(await moneyOf(account.id)).toEqual({ balance: 1, held: 0 });
    const db = await getDb();
    expect(await db.select().from(files).where(eq(files.accountId, account.id))).toEqual([]); // nothing of it is kept
  });

  test("a cancel racing completion has exactly one outcome", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "5" });
    for (let round = 0; round < 20; round++) {
      const job = await submitJob(principal, { prompt: `race ${round}` });
      const [claimed] = await claimJobs({ workerId: "wkr_racer", limit: 1, leaseMs: 60_000 });
      expect(claimed?.id).toBe(job.id);
      const outcome = await executeJob(claimed!, new AbortController().signal);
      // The worker's settlement and the user's cancel, at the same moment.
      const [settled, canceled] = await Promise.all([
        settleOrDiscard({ workerId: "wkr_racer", job: claimed!, outcome }),
        cancelJob({ accountId: account.id, jobId: job.id }).then(
          () => true,
          () => false,
        ),
      ]);
      expect(Boolean(settled) !== canceled).toBe(true); // exactly one of them won
      const ended = await waitForTerminal(principal, job.id);
      expect(ended.status).toBe(canceled ? "canceled" : "succeeded");
      const settlements = (await listLedgerEntries({ accountId: account.id, jobId: job.id })).filter((e) => e.type !== "hold");
      expect(settlements.map((e) => e.type)).toEqual(canceled ? ["release"] : ["charge"]);
      // The loser's images are gone, bytes and all; the winner's stay with the job.
      expect(outcome.status).toBe("succeeded");
      if (outcome.status !== "succeeded") continue;
      for (const { file } of outcome.images) {
        const [record] = await (await getDb()).select().from(files).where(eq(files.id, file.id));
        const bytes = await blobStore().get(file.storageKey);
        expect([Boolean(record), Boolean(bytes)]).toEqual(canceled ? [false, false] : [true, true]);
      }
    }
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a new job wakes an idle worker at once, without waiting for a poll", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    await startWorker({ pollMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the first look finds nothing
    const job = await submitJob(principal, { prompt: "wake up" });
    const done = await waitForTerminal(principal, job.id, 5_000);
    expect(done.status).toBe("succeeded");
  });
});

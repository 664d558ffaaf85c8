// fal through real jobs: each failure fal can answer, what the chain does next (retry, fallback,
// fail at once), and what the account pays — against the fake of fal's queue API.
import "@/lib/testing/isolated-database";
import { describe, expect, test } from "vitest";
import { getBalance } from "@/lib/billing/balance";
import { cancelJob } from "@/lib/jobs/cancel";
import { presentJob } from "@/lib/jobs/present";
import { JobWorker } from "@/lib/jobs/worker";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { fakeFalForEachTest } from "@/lib/testing/fake-fal-per-test";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { chargedMicros, runJobWith, withUpstreamEnv, type RanJob } from "@/lib/testing/provider-jobs";

const fal = fakeFalForEachTest();

const usd = (micros: bigint) => Number(micros) / 1_000_000;
const charged = (ran: RanJob) => usd(chargedMicros(ran));
const submitted = () => fal().submissions();

describe("money", () => {
  test("flux-2-pro asked 1920x1080 (2 MP) and returned 1024x1024: charged for 1 MP", async () => {
    fal().script({ kind: "size", width: 1024, height: 1024 });
    const ran = await runJobWith(fal().env, { model: "flux-2-pro", prompt: "a harbour", size: "1920x1080" });
    expect(ran.job.status).toBe("succeeded");
    expect(submitted()[0]!.input.image_size).toEqual({ width: 1920, height: 1088 });
    expect(usd(ran.job.estimatedMicros)).toBeCloseTo(0.06075, 6);
    expect(charged(ran)).toBeCloseTo(0.0405, 6);
  });

  test("flux-2-pro returned larger than asked: charged the estimate, never more", async () => {
    fal().script({ kind: "size", width: 2048, height: 2048 });
    const ran = await runJobWith(fal().env, { model: "flux-2-pro", prompt: "a harbour", size: "1:1" });
    expect(ran.job.status).toBe("succeeded");
    expect(charged(ran)).toBeCloseTo(0.0405, 6);
    expect(ran.after.heldMicros).toBe(0n);
  });

  test("3 of 4 images delivered: pays for 3", async () => {
    fal().script({ kind: "images", count: 3 });
    const ran = await runJobWith(fal().env, { model: "imagen-4", prompt: "a harbour", n: 4 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal" });
    expect(submitted()[0]!.input.num_images).toBe(4);
    expect(charged(ran)).toBeCloseTo(3 * 0.054, 6);
    expect((await presentJob(ran.job, "http://localhost")).images).toHaveLength(3);
  });

  test("an image flagged by fal's safety checker is dropped and not paid for", async () => {
    fal().script({ kind: "nsfw", flagged: [false, true, false] });
    const ran = await runJobWith(fal().env, { model: "flux-1.1-ultra", prompt: "a harbour", n: 3 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal" });
    expect(charged(ran)).toBeCloseTo(2 * 0.081, 6);
    expect((await presentJob(ran.job, "http://localhost")).images).toHaveLength(2);
  });

  test("every image flagged: the job fails with content_policy_violation, at once, and is charged nothing", async () => {
    fal().script({ kind: "nsfw", flagged: [true, true] });
    const ran = await runJobWith(fal().env, { model: "flux-1.1-ultra", prompt: "a harbour", n: 2 });
    expect(ran.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "fal", chargedMicros: 0n });
    expect(ran.job.upstreamRequestId).toBe(fal().issued().at(-1));
    expect(submitted()).toHaveLength(1); // not retried, no fallback
    expect(ran.after.balanceMicros).toBe(ran.before.balanceMicros);
    expect(ran.after.heldMicros).toBe(0n);
  });
});


describe("failures", () => {
  test("a 422 {detail} is the user's input: the job fails with fal's message, no retry, no fallback, nothing charged", async () => {
    fal().script({ kind: "fail", status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "The prompt names a real person", type: "value_error" }] } });
    const ran = await runJobWith(fal().env, { model: "ideogram-v3", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "failed", errorCode: "invalid_request", provider: "fal", chargedMicros: 0n });
    expect(ran.job.errorMessage).toContain("The prompt names a real person");
    expect(submitted()).toHaveLength(1);
    expect(ran.after.balanceMicros).toBe(ran.before.balanceMicros);
  });

  test("a 422 of type content_policy_violation is moderation", async () => {
    fal().script({ kind: "fail", status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "flagged by the content checker", type: "content_policy_violation" }] } });
    const ran = await runJobWith(fal().env, { model: "nano-banana", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", chargedMicros: 0n });
    expect(ran.after.heldMicros).toBe(0n);
  });

  test("a 429 with Retry-After is waited out and retried at fal", async () => {
    fal().script({ kind: "reject", status: 429, headers: { "retry-after": "1" }, body: { detail: "Rate limit exceeded" } });
    const started = Date.now();
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 0 });
    expect(submitted()).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(charged(ran)).toBeCloseTo(0.054, 6);
  });

  test("500s are retried (3 submissions), then the local renderer serves", async () => {
    fal().script(...Array.from({ length: 3 }, () => ({ kind: "reject" as const, status: 500, body: { detail: "Internal Server Error" } })));
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(3);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a failed request's 500 on its response_url is retried like any other", async () => {
    fal().script({ kind: "fail", status: 500, body: { detail: "runner crashed" } });
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(2);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 0 });
  });

  test("a wrong key (401) falls back at once, without retrying", async () => {
    const ran = await runJobWith({ ...fal().env, FAL_KEY: "wrong" }, { model: "recraft-v4", prompt: "a harbour" });
    expect(fal().received.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("fal out of balance (403) is an operator alert and a fallback, not the user's error", async () => {
    fal().script({ kind: "reject", status: 403, body: { detail: "User is locked. Reason: Exhausted balance." } });
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a submit that hangs past the timeout is retried, then falls back", async () => {
    fal().script({ kind: "hang" }, { kind: "hang" }, { kind: "hang" });
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" }, { providerTimeoutMs: 300 });
    expect(submitted()).toHaveLength(3);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a request still running at the timeout is canceled at fal, each attempt", async () => {
    fal().script({ kind: "stuck" }, { kind: "stuck" }, { kind: "stuck" });
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" }, { providerTimeoutMs: 300 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    await eventually(async () => (fal().cancels().length === 3 ? true : undefined), 5_000, "three cancels");
    expect(fal().cancels().every((c) => /^\/fal-ai\/recraft\/requests\/[0-9a-f-]+\/cancel$/.test(c.path) && c.headers.authorization === "Key fal-test-key")).toBe(true);
  });

  test("an expired result URL falls back", async () => {
    fal().script({ kind: "expired" });
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a 200 with no image falls back", async () => {
    fal().script({ kind: "images", count: 0 });
    const ran = await runJobWith(fal().env, { model: "imagen-4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });
});

describe("cancellation", () => {
  test("canceling a running job sends PUT cancel_url to fal and releases the hold", async () => {
    fal().script({ kind: "stuck" });
    await withUpstreamEnv(fal().env, async () => {
      const { principal, account } = await createTestAccount({ creditUsd: "10" });
      const worker = new JobWorker({ concurrency: 1 });
      await worker.start();
      try {
        const job = await submitJob(principal, { model: "recraft-v4", prompt: "a harbour" });
        await eventually(async () => (fal().requestsTo("/fal-ai/recraft/requests/", "GET").length > 0 ? true : undefined), 10_000, "fal to be polled");
        await cancelJob({ accountId: account.id, jobId: job.id });
        await eventually(async () => (fal().cancels().length === 1 ? true : undefined), 10_000, "the cancel to reach fal");
        const [post] = submitted();
        expect(post).toBeDefined();
        expect(fal().cancels()[0]!.method).toBe("PUT");
        const ended = await waitForTerminal(principal, job.id);
        expect(ended).toMatchObject({ status: "canceled", chargedMicros: 0n });
        const balance = (await getBalance({ accountId: account.id }))!;
        expect(balance.heldMicros).toBe(0n);
        expect(balance.balanceMicros).toBe(10_000_000n);
      } finally {
        await worker.stop();
      }
    });
  });
});


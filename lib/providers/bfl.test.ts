// The Black Forest Labs adapter against a fake BFL server: what goes on the wire for each
// model, how each documented failure is retried, passed on or ends the job, and what the
// account pays for it.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel } from "@/lib/catalog";
import { logger } from "@/lib/http/logger";
import { imageBytes } from "@/lib/testing/fake-upstream";
import { BFL_TEST_KEY, sizeOf, startFakeBfl, type FakeBfl } from "@/lib/testing/fake-bfl";
import { chargedMicros, runJobWith, withUpstreamEnv, type RanJob } from "@/lib/testing/provider-jobs";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { JobWorker } from "@/lib/jobs/worker";
import { storeFile } from "@/lib/storage/files";
import { signFileUrl } from "@/lib/storage/signed-urls";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { bflUpstream, flux2Side } from "./bfl";
import type { ProviderRequest } from "./types";

let bfl: FakeBfl;

beforeAll(async () => {
  vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
  bfl = await startFakeBfl();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await bfl.close();
});
beforeEach(() => {
  bfl.received.length = 0;
  bfl.script.length = 0;
});

/** Like runJobWith, with reference images uploaded to the account first and passed as image_urls. */
async function runJobWithReferences(body: Record<string, unknown>, references: Buffer[]): Promise<RanJob> {
  return withUpstreamEnv(bfl.env, async () => {
    const { principal, account } = await createTestAccount();
    const imageUrls: string[] = [];
    for (const bytes of references) {
      const file = await storeFile({ accountId: account.id, purpose: "upload", bytes, contentType: "image/png", ...(await sizeOf(bytes).then(([width, height]) => ({ width, height }))) });
      imageUrls.push(signFileUrl(file.id, "http://localhost:3000").url);
    }
    const before = (await getBalance({ accountId: account.id }))!;
    const worker = new JobWorker({ concurrency: 1, providerRetryBaseMs: 5 });
    await worker.start();
    try {
      const submitted = await submitJob(principal, { ...body, image_urls: imageUrls });
      const job = await waitForTerminal(principal, submitted.id, 30_000);
      const after = (await getBalance({ accountId: account.id }))!;
      await assertLedgerInvariants({ accountId: account.id });
      return { job, before, after };
    } finally {
      await worker.stop();
    }
  });
}

const charged = chargedMicros;

function expectReleasedInFull(run: RanJob) {
  expect(run.job.chargedMicros).toBe(0n);
  expect(charged(run)).toBe(0n);
  expect(run.after.heldMicros).toBe(0n);
}

describe("Black Forest Labs: the request on the wire", () => {
  test("flux-2-pro 1920x1080 is sent as 1920x1088 with the key, polled until Ready, and charged on the image returned", async () => {
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a lighthouse at dusk", size: "1920x1080" });

    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl", fallbackLayer: 0 });
    const [submission, ...polls] = bfl.received;
    expect(submission).toMatchObject({ method: "POST", path: "/v1/flux-2-pro" });
    expect(submission!.headers["x-key"]).toBe(BFL_TEST_KEY);
    expect(submission!.json).toEqual({ prompt: "a lighthouse at dusk", width: 1920, height: 1088, output_format: "png" });
    const taskId = (bfl.received.find((r) => r.path === "/v1/get_result")!.query.get("id"))!;
    expect(run.job.upstreamRequestId).toBe(taskId);
    const pollsOfTask = polls.filter((r) => r.path === "/v1/get_result");
    expect(pollsOfTask.length).toBeGreaterThanOrEqual(2); // Pending, then Ready
    expect(pollsOfTask.every((r) => r.headers["x-key"] === BFL_TEST_KEY)).toBe(true);
    // 1920×1088 is 2.09 MP, billed as 2 MP: the same as the estimate for 1920×1080.
    expect(run.job.estimatedMicros).toBe(60_750n);
    expect(run.job.chargedMicros).toBe(60_750n);
    expect(charged(run)).toBe(60_750n);
  });

  test("sides go to the nearest multiple of 16 within 64..2048", () => {
    expect([flux2Side(1080), flux2Side(1000), flux2Side(1032), flux2Side(2048), flux2Side(256)]).toEqual([1088, 1008, 1040, 2048, 256]);
  });

  test("a larger image than asked is charged at the estimate, a smaller one at its own size", async () => {
    bfl.script.push({ ok: { width: 2048, height: 2048 } });
    const larger = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour", size: "1920x1080" });
    expect(larger.job).toMatchObject({ status: "succeeded", provider: "bfl" });
    expect(larger.job.chargedMicros).toBe(60_750n); // 4 MP would be 101,250: never more than the estimate

    bfl.script.push({ ok: { width: 1024, height: 1024 } });
    const smaller = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour", size: "1920x1080" });
    expect(smaller.job.chargedMicros).toBe(40_500n); // 1 MP
    expect(charged(smaller)).toBe(40_500n);
  });

  test("n images are n tasks, each with the next seed; the job records every task id", async () => {
    const run = await runJobWith(bfl.env, { model: "flux-1.1-ultra", prompt: "a red fox", size: "16:9", n: 3, seed: 7 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl" });
    const submissions = bfl.submissions();
    expect(bfl.requestsTo("/v1/flux-pro-1.1-ultra", "POST")).toHaveLength(3);
    expect(submissions.map((body) => body.seed).sort()).toEqual([7, 8, 9]);
    for (const body of submissions) expect(body).toEqual({ prompt: "a red fox", aspect_ratio: "16:9", output_format: "png", seed: body.seed });
    expect(run.job.upstreamRequestId!.split(",")).toHaveLength(3);
    expect(run.job.chargedMicros).toBe(3n * 81_000n);
  });

  test("flux-1.1-ultra sends our aspect ratio for a listed pixel size too", async () => {
    await runJobWith(bfl.env, { model: "flux-1.1-ultra", prompt: "a wide valley", size: "1536x640" });
    expect(bfl.submissions()[0]).toEqual({ prompt: "a wide valley", aspect_ratio: "21:9", output_format: "png" });
  });

  test("flux-kontext-pro sends the reference as base64 input_image with the aspect ratio", async () => {
    const reference = await imageBytes(64, 48, "png");
    const provider = bflUpstream.create(bfl.env);
    const request: ProviderRequest = {
      jobId: "job_test",
      model: findModel("flux-kontext-pro")!,
      prompt: "make it night",
      size: "4:3",
      width: 1152,
      height: 896,
      n: 1,
      references: [{ bytes: reference, contentType: "image/png", width: 64, height: 48 }],
    };
    const result = await provider.generate(request, new AbortController().signal);
    expect(bfl.submissions()).toEqual([{ prompt: "make it night", aspect_ratio: "4:3", output_format: "png", input_image: reference.toString("base64") }]);
    expect(result.images).toHaveLength(1);
    expect(await sizeOf(result.images[0]!.bytes)).toEqual([1184, 896]); // what the fake makes for 4:3
  });

  test("a flux-kontext-pro edit job sends the uploaded reference's bytes as input_image, and is paid for", async () => {
    const reference = await imageBytes(96, 64, "png", { r: 200, g: 30, b: 30 });
    const run = await runJobWithReferences({ model: "flux-kontext-pro", prompt: "paint it blue", size: "16:9" }, [reference]);
    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl", fallbackLayer: 0 });
    expect(bfl.submissions()).toEqual([{ prompt: "paint it blue", aspect_ratio: "16:9", output_format: "png", input_image: reference.toString("base64") }]);
    expect(run.job.chargedMicros).toBe(54_000n);
    expect(charged(run)).toBe(54_000n);
  });

  test("flux-2-pro sends references as input_image, input_image_2, …; more than 8 skips BFL", async () => {
    const provider = bflUpstream.create(bfl.env);
    const reference = { bytes: await imageBytes(32, 32, "png"), contentType: "image/png", width: 32, height: 32 };
    const request: ProviderRequest = {
      jobId: "job_test",
      model: findModel("flux-2-pro")!,
      prompt: "blend them",
      size: "1:1",
      width: 1024,
      height: 1024,
      n: 1,
      references: [reference, reference, reference],
    };
    expect(provider.unableToServe!(request)).toBeUndefined();
    await provider.generate(request, new AbortController().signal);
    expect(Object.keys(bfl.submissions()[0]!).sort()).toEqual(["height", "input_image", "input_image_2", "input_image_3", "output_format", "prompt", "width"]);
    expect(provider.unableToServe!({ ...request, references: Array.from({ length: 9 }, () => reference) })).toMatch(/at most 8/);
  });

  test("a polling URL on a host that is not BFL's is not sent our key: the task is polled on the base URL", async () => {
    bfl.script.push("foreign_polling_url");
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl" });
    expect(bfl.requestsTo("/v1/get_result").length).toBeGreaterThanOrEqual(2);
  });
});

describe("the fake is as strict as BFL", () => {
  test("a misspelt field, a side off the 16 grid or a wrong key is refused", async () => {
    const post = (body: unknown, key = BFL_TEST_KEY) =>
      fetch(`${bfl.origin}/v1/flux-2-pro`, { method: "POST", headers: { "x-key": key, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ prompt: "a", widht: 1024, height: 1024 })).status).toBe(422);
    expect((await post({ prompt: "a", width: 1080, height: 1024 })).status).toBe(422);
    expect((await post({ prompt: "a", width: 1024, height: 1024 }, "wrong")).status).toBe(401);
    expect((await post({ prompt: "a", width: 1024, height: 1024 })).status).toBe(200);
  });
});

describe("Black Forest Labs: failures", () => {
  test("a busy poll (429) is asked again without submitting the task again", async () => {
    bfl.script.push("poll_busy");
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl" });
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(1);
    expect(bfl.requestsTo("/v1/get_result").length).toBeGreaterThanOrEqual(3); // Pending, 429, Ready
  });

  test.each(["request_moderated", "content_moderated"] as const)("%s fails the job with content_policy_violation and releases the hold", async (behaviour) => {
    bfl.script.push(behaviour);
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "something refused" });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "bfl", fallbackLayer: 0 });
    expect(run.job.upstreamRequestId).toBeTruthy();
    expectReleasedInFull(run);
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(1); // no retry, no other provider
  });

  test("a 422 fails the job as invalid input, with BFL's message, and nothing is charged", async () => {
    bfl.script.push("validation");
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "invalid_request" });
    expect(run.job.errorMessage).toContain("Prompt too long");
    expectReleasedInFull(run);
  });

  test("a wrong key (401) falls back to the next provider without a retry", async () => {
    bfl.script.push("unauthorized");
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(1);
  });

  test("out of credit (402) is an operator alert, and the next provider serves the job", async () => {
    const errors = vi.spyOn(logger, "error");
    try {
      bfl.script.push("out_of_credit");
      const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
      expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
      expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(1);
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ alert: "provider_out_of_credit", provider: "bfl" }), expect.any(String));
    } finally {
      errors.mockRestore();
    }
  });

  test("a 429 (too many active tasks) is retried after its Retry-After, then served by BFL", async () => {
    bfl.script.push("rate_limited");
    const started = performance.now();
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl", fallbackLayer: 0 });
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("a 500 is retried, and after the retries the job falls back", async () => {
    bfl.script.push("server_error", "server_error", "server_error");
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(3); // the first call and 2 retries
  });

  test("a submission that hangs past the timeout is retried, then falls back", async () => {
    bfl.script.push("hang", "hang", "hang");
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" }, { providerTimeoutMs: 300 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(3);
  });

  test.each(["error", "expired", "no_sample"] as const)("a task that ends with %s falls back to the next provider", async (behaviour) => {
    bfl.script.push(behaviour);
    const run = await runJobWith(bfl.env, { model: "flux-2-pro", prompt: "a harbour" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(bfl.requestsTo("/v1/flux-2-pro", "POST")).toHaveLength(1);
  });

  test("3 of 4 tasks delivered: the job succeeds with 3 images and pays for 3", async () => {
    bfl.script.push("ok", "error", "ok", "ok");
    const run = await runJobWith(bfl.env, { model: "flux-1.1-ultra", prompt: "four foxes", n: 4 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "bfl" });
    expect(run.job.estimatedMicros).toBe(4n * 81_000n);
    expect(run.job.chargedMicros).toBe(3n * 81_000n);
    expect(charged(run)).toBe(3n * 81_000n);
    expect(run.after.heldMicros).toBe(0n);
  });
});

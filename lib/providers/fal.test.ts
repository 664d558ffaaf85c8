// The fal adapter against a fake of fal's queue API (lib/testing/fake-fal.ts): what goes on the
// wire for each model, and what each failure does to the job and to the account's money.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel, type ImageModel } from "@/lib/catalog";
import { cancelJob } from "@/lib/jobs/cancel";
import { presentJob } from "@/lib/jobs/present";
import { JobWorker } from "@/lib/jobs/worker";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { startFakeFal, type FakeFal } from "@/lib/testing/fake-fal";
import { imageBytes } from "@/lib/testing/fake-upstream";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { runJobWith, withUpstreamEnv } from "@/lib/testing/provider-jobs";
import { getBalance } from "@/lib/billing/balance";
import { createImageFetcher } from "@/lib/net/safe-fetch";
import { createFalProvider, falUpstream } from "./fal";
import { ProviderError, type ProviderRequest, type ReferenceImage } from "./types";

let fake: FakeFal;

beforeAll(async () => {
  fake = await startFakeFal();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
  vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "0");
});

const usd = (micros: bigint) => Number(micros) / 1_000_000;
const charged = (ran: { before: { balanceMicros: bigint }; after: { balanceMicros: bigint } }) => usd(ran.before.balanceMicros - ran.after.balanceMicros);
const submitted = () => fake.submissions();

function model(id: string): ImageModel {
  const found = findModel(id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
}

/** A request as the job runner builds it, for the adapter called directly. */
function request(id: string, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const m = model(id);
  const size = overrides.size ?? m.defaultSize;
  const option = m.sizes.find((s) => s.size === size)!;
  return { jobId: "job_test", model: m, prompt: "a lighthouse at dusk", size, width: option?.width ?? 0, height: option?.height ?? 0, n: 1, references: [], ...overrides };
}

async function reference(color = { r: 200, g: 30, b: 30 }): Promise<ReferenceImage> {
  return { bytes: await imageBytes(64, 48, "png", color), contentType: "image/png", width: 64, height: 48 };
}

const adapter = () => falUpstream.create(fake.env);
const generate = (req: ProviderRequest) => adapter().generate(req, new AbortController().signal);

describe("the request on the wire", () => {
  test("recraft-v4 16:9, n=2: two submissions of the documented input, with the key, and the job pays for two", async () => {
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a lighthouse at dusk", size: "16:9", n: 2 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 0 });
    const posts = submitted();
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.app).toBe("fal-ai/recraft/v4/text-to-image");
      expect(post.input).toEqual({ prompt: "a lighthouse at dusk", image_size: "landscape_16_9" });
      expect(post.headers.authorization).toBe("Key fal-test-key");
      expect(post.headers["content-type"]).toBe("application/json");
    }
    // The queue is polled on the URLs fal answered, which name the app without its subpath.
    expect(fake.requestsTo("/fal-ai/recraft/requests/", "GET").length).toBeGreaterThanOrEqual(6);
    expect(charged(ran)).toBeCloseTo(0.108, 6);
    const ids = ran.job.upstreamRequestId!.split(",");
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(fake.requestsTo(`/fal-ai/recraft/requests/${id}/status`).length).toBeGreaterThan(0);
    const view = await presentJob(ran.job, "http://localhost");
    expect(view.images.map((i) => [i.width, i.height, i.content_type])).toEqual([[1024, 576, "image/png"], [1024, 576, "image/png"]]);
  });

  test.each([
    ["recraft-v3", "1:1", 1, "fal-ai/recraft/v3/text-to-image", { image_size: "square_hd" }],
    ["recraft-v4", "21:9", 1, "fal-ai/recraft/v4/text-to-image", { image_size: { width: 1536, height: 640 } }],
    ["recraft-v4-pro", "16:9", 1, "fal-ai/recraft/v4/pro/text-to-image", { image_size: { width: 2688, height: 1536 } }],
    ["recraft-v4-vector", "3:4", 1, "fal-ai/recraft/v4/text-to-vector", { image_size: "portrait_4_3" }],
    ["recraft-v4-vector-pro", "1:1", 1, "fal-ai/recraft/v4/pro/text-to-vector", { image_size: { width: 2048, height: 2048 } }],
    ["flux-2-pro", "4:3", 1, "fal-ai/flux-2-pro", { image_size: { width: 1152, height: 896 }, seed: 7, output_format: "png" }],
    ["flux-1.1-ultra", "21:9", 2, "fal-ai/flux-pro/v1.1-ultra", { aspect_ratio: "21:9", seed: 7, output_format: "png", num_images: 2 }],
    ["ideogram-v3", "4:3", 3, "fal-ai/ideogram/v3", { image_size: { width: 1152, height: 896 }, seed: 7, num_images: 3 }],
    ["imagen-4-fast", "9:16", 1, "fal-ai/imagen4/preview/fast", { aspect_ratio: "9:16", seed: 7, num_images: 1 }],
    ["imagen-4", "16:9", 4, "fal-ai/imagen4/preview", { aspect_ratio: "16:9", seed: 7, num_images: 4 }],
    ["imagen-4-ultra", "3:4", 1, "fal-ai/imagen4/preview/ultra", { aspect_ratio: "3:4", seed: 7, num_images: 1 }],
    ["nano-banana", "3:4", 2, "fal-ai/nano-banana", { aspect_ratio: "3:4", output_format: "png", num_images: 2 }],
    ["nano-banana-3-flash", "21:9", 1, "fal-ai/nano-banana-2", { aspect_ratio: "21:9", seed: 7, output_format: "png", num_images: 1 }],
  ])("%s %s n=%i → %s", async (id, size, n, app, input) => {
    const result = await generate(request(id, { size, n, seed: 7 }));
    const posts = submitted();
    expect(posts.map((p) => p.app)).toEqual([app]);
    expect(posts[0]!.input).toEqual({ prompt: "a lighthouse at dusk", ...input });
    expect(result.images).toHaveLength(n);
    expect(result.upstreamRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("vector models deliver SVG documents, stored as image/svg+xml", async () => {
    const ran = await runJobWith(fake.env, { model: "recraft-v4-vector", prompt: "a fox logo" });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal" });
    const view = await presentJob(ran.job, "http://localhost");
    expect(view.images).toMatchObject([{ width: 1024, height: 1024, content_type: "image/svg+xml" }]);
  });

  test("flux-2-pro with references goes to its edit app, the bytes as data URIs; one submission per image, seeds apart", async () => {
    const refs = [await reference(), await reference({ r: 0, g: 0, b: 255 })];
    const result = await generate(request("flux-2-pro", { n: 2, seed: 100, references: refs }));
    const posts = submitted();
    expect(posts).toHaveLength(2);
    const uris = refs.map((r) => `data:image/png;base64,${r.bytes.toString("base64")}`);
    expect(posts.map((p) => p.app)).toEqual(["fal-ai/flux-2-pro/edit", "fal-ai/flux-2-pro/edit"]);
    expect(posts.map((p) => p.input)).toEqual([
      { prompt: "a lighthouse at dusk", image_size: { width: 1024, height: 1024 }, image_urls: uris, seed: 100, output_format: "png" },
      { prompt: "a lighthouse at dusk", image_size: { width: 1024, height: 1024 }, image_urls: uris, seed: 101, output_format: "png" },
    ]);
    expect(result.images).toHaveLength(2);
  });

  test("flux-kontext-pro sends its one reference as image_url; nano-banana with one goes to its edit app", async () => {
    const ref = await reference();
    const uri = `data:image/png;base64,${ref.bytes.toString("base64")}`;
    await generate(request("flux-kontext-pro", { size: "16:9", references: [ref] }));
    await generate(request("nano-banana", { references: [ref] }));
    expect(submitted()).toEqual([
      expect.objectContaining({ app: "fal-ai/flux-pro/kontext", input: { prompt: "a lighthouse at dusk", aspect_ratio: "16:9", image_url: uri, output_format: "png", num_images: 1 } }),
      expect.objectContaining({ app: "fal-ai/nano-banana/edit", input: { prompt: "a lighthouse at dusk", aspect_ratio: "1:1", image_urls: [uri], output_format: "png", num_images: 1 } }),
    ]);
  });

  test("flux-2-pro takes any size: sent the nearest multiple of 16", async () => {
    await generate(request("flux-2-pro", { size: "1000x1010", width: 1000, height: 1010 }));
    expect(submitted()[0]!.input.image_size).toEqual({ width: 1008, height: 1008 });
  });

  test("fal is skipped, not failed, for more references than the app takes", async () => {
    const refs = await Promise.all(Array.from({ length: 9 }, () => reference()));
    expect(adapter().unableToServe!(request("flux-2-pro", { references: refs }))).toMatch(/at most 8 reference images/);
    expect(adapter().unableToServe!(request("flux-2-pro", { references: refs.slice(0, 8) }))).toBeUndefined();
  });
});

describe("money", () => {
  test("flux-2-pro asked 1920x1080 (2 MP) and returned 1024x1024: charged for 1 MP", async () => {
    fake.script({ kind: "size", width: 1024, height: 1024 });
    const ran = await runJobWith(fake.env, { model: "flux-2-pro", prompt: "a harbour", size: "1920x1080" });
    expect(ran.job.status).toBe("succeeded");
    expect(submitted()[0]!.input.image_size).toEqual({ width: 1920, height: 1088 });
    expect(usd(ran.job.estimatedMicros)).toBeCloseTo(0.06075, 6);
    expect(charged(ran)).toBeCloseTo(0.0405, 6);
  });

  test("flux-2-pro returned larger than asked: charged the estimate, never more", async () => {
    fake.script({ kind: "size", width: 2048, height: 2048 });
    const ran = await runJobWith(fake.env, { model: "flux-2-pro", prompt: "a harbour", size: "1:1" });
    expect(ran.job.status).toBe("succeeded");
    expect(charged(ran)).toBeCloseTo(0.0405, 6);
    expect(ran.after.heldMicros).toBe(0n);
  });

  test("3 of 4 images delivered: pays for 3", async () => {
    fake.script({ kind: "images", count: 3 });
    const ran = await runJobWith(fake.env, { model: "imagen-4", prompt: "a harbour", n: 4 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal" });
    expect(submitted()[0]!.input.num_images).toBe(4);
    expect(charged(ran)).toBeCloseTo(3 * 0.054, 6);
    expect((await presentJob(ran.job, "http://localhost")).images).toHaveLength(3);
  });

  test("an image flagged by fal's safety checker is dropped and not paid for", async () => {
    fake.script({ kind: "nsfw", flagged: [false, true, false] });
    const ran = await runJobWith(fake.env, { model: "flux-1.1-ultra", prompt: "a harbour", n: 3 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal" });
    expect(charged(ran)).toBeCloseTo(2 * 0.081, 6);
    expect((await presentJob(ran.job, "http://localhost")).images).toHaveLength(2);
  });

  test("every image flagged: the job fails with content_policy_violation, at once, and is charged nothing", async () => {
    fake.script({ kind: "nsfw", flagged: [true, true] });
    const ran = await runJobWith(fake.env, { model: "flux-1.1-ultra", prompt: "a harbour", n: 2 });
    expect(ran.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "fal", chargedMicros: 0n });
    expect(ran.job.upstreamRequestId).toBe(fake.issued().at(-1));
    expect(submitted()).toHaveLength(1); // not retried, no fallback
    expect(ran.after.balanceMicros).toBe(ran.before.balanceMicros);
    expect(ran.after.heldMicros).toBe(0n);
  });
});

describe("failures", () => {
  test("a 422 {detail} is the user's input: the job fails with fal's message, no retry, no fallback, nothing charged", async () => {
    fake.script({ kind: "fail", status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "The prompt names a real person", type: "value_error" }] } });
    const ran = await runJobWith(fake.env, { model: "ideogram-v3", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "failed", errorCode: "invalid_request", provider: "fal", chargedMicros: 0n });
    expect(ran.job.errorMessage).toContain("The prompt names a real person");
    expect(submitted()).toHaveLength(1);
    expect(ran.after.balanceMicros).toBe(ran.before.balanceMicros);
  });

  test("a 422 of type content_policy_violation is moderation", async () => {
    fake.script({ kind: "fail", status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "flagged by the content checker", type: "content_policy_violation" }] } });
    const ran = await runJobWith(fake.env, { model: "nano-banana", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", chargedMicros: 0n });
    expect(ran.after.heldMicros).toBe(0n);
  });

  test("a 429 with Retry-After is waited out and retried at fal", async () => {
    fake.script({ kind: "reject", status: 429, headers: { "retry-after": "1" }, body: { detail: "Rate limit exceeded" } });
    const started = Date.now();
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 0 });
    expect(submitted()).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(charged(ran)).toBeCloseTo(0.054, 6);
  });

  test("500s are retried (3 submissions), then the local renderer serves", async () => {
    fake.script(...Array.from({ length: 3 }, () => ({ kind: "reject" as const, status: 500, body: { detail: "Internal Server Error" } })));
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(3);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a failed request's 500 on its response_url is retried like any other", async () => {
    fake.script({ kind: "fail", status: 500, body: { detail: "runner crashed" } });
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(2);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 0 });
  });

  test("a wrong key (401) falls back at once, without retrying", async () => {
    const ran = await runJobWith({ ...fake.env, FAL_KEY: "wrong" }, { model: "recraft-v4", prompt: "a harbour" });
    expect(fake.received.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("fal out of balance (403) is an operator alert and a fallback, not the user's error", async () => {
    fake.script({ kind: "reject", status: 403, body: { detail: "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing." } });
    const error = await generate(request("recraft-v4")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "credit", code: "provider_out_of_credit" });
    fake.script({ kind: "reject", status: 403, body: { detail: "User is locked. Reason: Exhausted balance." } });
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a submit that hangs past the timeout is retried, then falls back", async () => {
    fake.script({ kind: "hang" }, { kind: "hang" }, { kind: "hang" });
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" }, { providerTimeoutMs: 300 });
    expect(submitted()).toHaveLength(3);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a request still running at the timeout is canceled at fal, each attempt", async () => {
    fake.script({ kind: "stuck" }, { kind: "stuck" }, { kind: "stuck" });
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" }, { providerTimeoutMs: 300 });
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    await eventually(async () => (fake.cancels().length === 3 ? true : undefined), 5_000, "three cancels");
    expect(fake.cancels().every((c) => /^\/fal-ai\/recraft\/requests\/[0-9a-f-]+\/cancel$/.test(c.path) && c.headers.authorization === "Key fal-test-key")).toBe(true);
  });

  test("an expired result URL falls back", async () => {
    fake.script({ kind: "expired" });
    const ran = await runJobWith(fake.env, { model: "recraft-v4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a 200 with no image falls back", async () => {
    fake.script({ kind: "images", count: 0 });
    const ran = await runJobWith(fake.env, { model: "imagen-4", prompt: "a harbour" });
    expect(submitted()).toHaveLength(1);
    expect(ran.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("status and response URLs outside the configured origin are refused: our key never leaves it", async () => {
    const error = await falUpstream
      .create({ FAL_KEY: fake.key, FAL_QUEUE_URL: fake.origin.replace("127.0.0.1", "localhost") })
      .generate(request("recraft-v4"), new AbortController().signal)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "upstream", message: expect.stringContaining("status_url outside") });
    expect(fake.received.filter((r) => r.path.includes("/requests/"))).toHaveLength(0);
  });
});

describe("cancellation", () => {
  test("canceling a running job sends PUT cancel_url to fal and releases the hold", async () => {
    fake.script({ kind: "stuck" });
    await withUpstreamEnv(fake.env, async () => {
      const { principal, account } = await createTestAccount({ creditUsd: "10" });
      const worker = new JobWorker({ concurrency: 1 });
      await worker.start();
      try {
        const job = await submitJob(principal, { model: "recraft-v4", prompt: "a harbour" });
        await eventually(async () => (fake.requestsTo("/fal-ai/recraft/requests/", "GET").length > 0 ? true : undefined), 10_000, "fal to be polled");
        await cancelJob({ accountId: account.id, jobId: job.id });
        await eventually(async () => (fake.cancels().length === 1 ? true : undefined), 10_000, "the cancel to reach fal");
        const [post] = submitted();
        expect(post).toBeDefined();
        expect(fake.cancels()[0]!.method).toBe("PUT");
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

describe("the fake is strict", () => {
  test("it refuses a misspelt field as fal's validation does", async () => {
    const response = await fetch(`${fake.origin}/fal-ai/recraft/v4/text-to-image`, {
      method: "POST",
      headers: { authorization: `Key ${fake.key}`, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "x", imagesize: "square_hd" }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: [{ loc: ["body", "imagesize"], msg: "extra inputs are not permitted", type: "value_error" }] });
  });
});

describe("results on fal's CDN", () => {
  let cdnFake: FakeFal;
  beforeAll(async () => {
    cdnFake = await startFakeFal({ cdn: true });
  });
  afterAll(async () => {
    await cdnFake.close();
  });
  beforeEach(() => cdnFake.reset());

  // The SSRF-safe fetcher as in production, except that it resolves the fake CDN's name to the
  // loopback server and trusts its certificate.
  const viaSafeFetcher = () => {
    const cdn = cdnFake.cdn!;
    const fetcher = createImageFetcher({
      ca: cdn.ca,
      lookup: async (hostname) => (hostname === cdn.hostname ? [{ address: "127.0.0.1", family: 4 }] : []),
      isForbidden: (address) => address !== "127.0.0.1",
    });
    return createFalProvider(cdnFake.env, { fetcher });
  };

  test("a CDN image is downloaded through the SSRF-safe fetcher; SVG is accepted for vector models", async () => {
    const raster = await viaSafeFetcher().generate(request("recraft-v4"), new AbortController().signal);
    expect(raster.images).toMatchObject([{ contentType: "image/png", width: 1024, height: 1024 }]);
    const vector = await viaSafeFetcher().generate(request("recraft-v4-vector"), new AbortController().signal);
    expect(vector.images).toMatchObject([{ contentType: "image/svg+xml" }]);
    expect(vector.images[0]!.bytes.toString("utf8")).toMatch(/^<svg /);
  });

  test("an expired CDN image is a failure the chain falls back from", async () => {
    cdnFake.script({ kind: "expired" });
    const error = await viaSafeFetcher().generate(request("recraft-v4"), new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "upstream", code: "provider_result_unavailable", message: expect.stringContaining("410") });
  });
});

// The Gemini API adapter against a fake of generateContent: the request on the wire, one call
// per image, and what each documented failure does to the job and to the money.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel } from "@/lib/catalog";
import { imageBytes } from "@/lib/testing/fake-upstream";
import { startFakeGemini, type FakeGemini } from "@/lib/testing/fake-gemini";
import { runJobWith } from "@/lib/testing/provider-jobs";
import { geminiUpstream } from "./gemini";
import { checkProvider } from "./operator";
import type { ProviderRequest } from "./types";

let fake: FakeGemini;

beforeAll(async () => {
  vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
  vi.unstubAllEnvs();
});
beforeEach(() => fake.reset());

const usd = (text: string) => BigInt(Math.round(Number(text) * 1_000_000));
const calls = () => fake.requestsTo("/v1beta/models/", "POST");

async function request(overrides: Partial<ProviderRequest> = {}): Promise<ProviderRequest> {
  return { jobId: "job_test", model: findModel("nano-banana")!, prompt: "a red bicycle", size: "1:1", width: 1024, height: 1024, n: 1, references: [], ...overrides };
}

describe("Gemini API: requests", () => {
  test("a nano-banana job is one generateContent call, exactly as documented, charged the flat price", async () => {
    const { job, before, after } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a red bicycle", size: "16:9" });
    expect(job).toMatchObject({ status: "succeeded", provider: "gemini", fallbackLayer: 0, upstreamRequestId: "resp-fake-1" });
    expect(calls()).toHaveLength(1);
    const [sent] = calls();
    expect(sent!.path).toBe("/v1beta/models/gemini-2.5-flash-image:generateContent");
    expect(sent!.headers["x-goog-api-key"]).toBe(fake.apiKey);
    expect(sent!.json).toEqual({
      contents: [{ parts: [{ text: "a red bicycle" }] }],
      generationConfig: { responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "16:9" } },
    });
    expect(job.chargedMicros).toBe(usd("0.046"));
    expect(after.balanceMicros).toBe(before.balanceMicros - usd("0.046"));
    expect(after.heldMicros).toBe(0n);
  });

  test("nano-banana-3-flash is gemini-3.1-flash-image-preview; n images are n calls, each with its own seed", async () => {
    const { job } = await runJobWith(fake.env, { model: "nano-banana-3-flash", prompt: "a kite", n: 2, seed: 7 });
    expect(job).toMatchObject({ status: "succeeded", provider: "gemini" });
    expect(job.chargedMicros).toBe(usd("0.092"));
    expect(calls().map((call) => call.path)).toEqual([
      "/v1beta/models/gemini-3.1-flash-image-preview:generateContent",
      "/v1beta/models/gemini-3.1-flash-image-preview:generateContent",
    ]);
    const seeds = calls().map((call) => (call.json as { generationConfig: { seed: number } }).generationConfig.seed);
    expect(seeds.sort()).toEqual([7, 8]);
    expect(job.upstreamRequestId?.split(",").sort()).toEqual(["resp-fake-1", "resp-fake-2"]);
  });

  test.each([
    ["1:1", 1024, 1024, "1:1", [1024, 1024]],
    ["16:9", 1344, 768, "16:9", [1344, 768]],
    ["9:16", 768, 1344, "9:16", [768, 1344]],
    ["4:3", 1152, 896, "4:3", [1184, 864]],
    ["3:4", 896, 1152, "3:4", [864, 1184]],
    ["21:9", 1536, 640, "21:9", [1536, 672]],
  ])("size %s is asked as aspectRatio %s; the image keeps the pixels Gemini drew", async (size, width, height, ratio, drawn) => {
    const adapter = geminiUpstream.create(fake.env);
    const result = await adapter.generate(await request({ size, width, height }), new AbortController().signal);
    expect((calls()[0]!.json as { generationConfig: { imageConfig: unknown } }).generationConfig.imageConfig).toEqual({ aspectRatio: ratio });
    expect(result.images[0]).toMatchObject({ contentType: "image/png", width: drawn[0], height: drawn[1] });
  });

  test("a Gemini 3 model's interim thought image is skipped: the final image is delivered", async () => {
    const adapter = geminiUpstream.create(fake.env);
    const result = await adapter.generate(await request({ model: findModel("nano-banana-3-flash")! }), new AbortController().signal);
    expect(result.images).toHaveLength(1);
    expect(result.images[0]).toMatchObject({ width: 1024, height: 1024 });
  });

  test("references are inlineData parts after the text", async () => {
    const png = await imageBytes(40, 30, "png");
    const jpeg = await imageBytes(20, 20, "jpeg");
    const adapter = geminiUpstream.create(fake.env);
    await adapter.generate(
      await request({ references: [{ bytes: png, contentType: "image/png", width: 40, height: 30 }, { bytes: jpeg, contentType: "image/jpeg", width: 20, height: 20 }] }),
      new AbortController().signal,
    );
    expect((calls()[0]!.json as { contents: unknown }).contents).toEqual([
      { parts: [{ text: "a red bicycle" }, { inlineData: { mimeType: "image/png", data: png.toString("base64") } }, { inlineData: { mimeType: "image/jpeg", data: jpeg.toString("base64") } }] },
    ]);
  });

  test("unableToServe: more references than the model takes, a size Gemini lacks", async () => {
    const adapter = geminiUpstream.create(fake.env);
    const reference = { bytes: Buffer.alloc(1), contentType: "image/png", width: 1, height: 1 };
    expect(adapter.unableToServe!(await request({ references: Array(3).fill(reference) }))).toBeUndefined();
    expect(adapter.unableToServe!(await request({ references: Array(4).fill(reference) }))).toMatch(/at most 3/);
    expect(adapter.unableToServe!(await request({ width: 1000, height: 1000 }))).toMatch(/no 1000x1000/);
    expect(geminiUpstream.disabledReason({})).toBe("GEMINI_API_KEY is not set");
  });
});

test("the operator's check (providers:check gemini) makes one real call through the adapter", async () => {
  await expect(checkProvider("gemini", fake.env)).resolves.toMatch(/^Google Gemini API: ok — nano-banana, image\/png, \d+ bytes in [\d.]+ s, request resp-fake-1$/);
});

describe("Gemini API: failures", () => {
  test("429 RESOURCE_EXHAUSTED is retried after its RetryInfo delay, then served", async () => {
    fake.script.push({ rateLimit: { retryDelay: "0.05s" } });
    const started = Date.now();
    const { job } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "gemini", fallbackLayer: 0 });
    expect(calls()).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  test("500 INTERNAL is retried (three calls), then the chain falls back", async () => {
    fake.script.push("server_error", "unavailable", "server_error");
    const { job } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(calls()).toHaveLength(3);
  });

  test("a hang past the timeout is retried as transient, then falls back", async () => {
    fake.script.push("hang", "hang", "hang");
    const { job } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite" }, { providerTimeoutMs: 300 });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(calls()).toHaveLength(3);
  });

  test("a wrong key (400 API_KEY_INVALID) is our problem, not the user's: no retry, the next provider serves", async () => {
    const { job } = await runJobWith({ ...fake.env, GEMINI_API_KEY: "AIza-wrong" }, { model: "nano-banana", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(calls()).toHaveLength(1);
  });

  test("403 PERMISSION_DENIED: no retry, the next provider serves", async () => {
    fake.script.push("forbidden");
    const { job } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(calls()).toHaveLength(1);
  });

  test("400 INVALID_ARGUMENT fails the job with invalid_request, charged nothing", async () => {
    fake.script.push("invalid");
    const { job, before, after } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite" });
    expect(job).toMatchObject({ status: "failed", errorCode: "invalid_request", provider: "gemini" });
    expect(after.balanceMicros).toBe(before.balanceMicros);
  });

  test.each([["blocked"], ["image_safety"]] as const)("a 200 with no image (%s) fails the job with content_policy_violation, the hold released", async (behaviour) => {
    fake.script.push(behaviour);
    const { job, before, after } = await runJobWith(fake.env, { model: "nano-banana", prompt: "something refused" });
    expect(job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "gemini", upstreamRequestId: "resp-fake-1" });
    expect(job.chargedMicros).toBe(0n);
    expect(after.balanceMicros).toBe(before.balanceMicros);
    expect(after.heldMicros).toBe(0n);
    expect(calls()).toHaveLength(1);
  });

  test.each([["no_image"], ["text_only"]] as const)("a 200 with no image (%s) is a failure, never an empty success: the next provider serves", async (behaviour) => {
    fake.script.push(behaviour);
    const { job } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(calls()).toHaveLength(1);
  });

  test("3 of 4 calls bring an image: 3 are delivered and paid for", async () => {
    fake.script.push("ok", "no_image", "ok", "ok");
    const { job, before, after } = await runJobWith(fake.env, { model: "nano-banana", prompt: "a kite", n: 4 });
    expect(job).toMatchObject({ status: "succeeded", provider: "gemini" });
    expect(calls()).toHaveLength(4);
    expect(job.estimatedMicros).toBe(usd("0.184"));
    expect(job.chargedMicros).toBe(usd("0.138"));
    expect(after.balanceMicros).toBe(before.balanceMicros - usd("0.138"));
  });
});

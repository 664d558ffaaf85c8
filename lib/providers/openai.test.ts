// The OpenAI adapter against a fake of OpenAI's Images API: the request on the wire, and what
// each documented failure does to the job and to the money.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel } from "@/lib/catalog";
import { imageBytes } from "@/lib/testing/fake-upstream";
import { startFakeOpenAI, type FakeOpenAI } from "@/lib/testing/fake-openai";
import { runJobWith } from "@/lib/testing/provider-jobs";
import { openaiUpstream } from "./openai";
import { checkProvider } from "./operator";
import type { ProviderRequest } from "./types";

let fake: FakeOpenAI;

beforeAll(async () => {
  vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
  vi.unstubAllEnvs();
});
beforeEach(() => fake.reset());

const usd = (text: string) => BigInt(Math.round(Number(text) * 1_000_000));

describe("OpenAI Images: generations", () => {
  test("a job is served by OpenAI: the exact request on the wire, the images stored, the estimate charged", async () => {
    const { job, before, after } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a lighthouse at dawn", size: "1536x1024", n: 2, quality: "high" });
    expect(job).toMatchObject({ status: "succeeded", provider: "openai", fallbackLayer: 0, upstreamRequestId: "req_fake_1" });
    const [sent] = fake.requestsTo("/v1/images/generations", "POST");
    expect(fake.received).toHaveLength(1);
    expect(sent!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent!.headers["content-type"]).toMatch(/^application\/json/);
    expect(sent!.json).toEqual({ model: "gpt-image-2", prompt: "a lighthouse at dawn", n: 2, size: "1536x1024", quality: "high", output_format: "png" });
    // high at 1536×1024: 0.297 × 1.5 per image
    expect(job.chargedMicros).toBe(usd("0.891"));
    expect(after.balanceMicros).toBe(before.balanceMicros - usd("0.891"));
    expect(after.heldMicros).toBe(0n);
  });

  test.each([
    ["1:1", "1024x1024"],
    ["1024x1536", "1024x1536"],
    ["2048x2048", "2048x2048"],
  ])("size %s is sent as %s, and the default quality is medium", async (size, sentSize) => {
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite", size });
    expect(job.status).toBe("succeeded");
    expect(fake.received[0]!.json).toMatchObject({ size: sentSize, quality: "medium", n: 1 });
  });

  test("429 rate_limit_exceeded is retried after retry-after-ms, then served", async () => {
    fake.script.push({ rateLimit: { retryAfterMs: "40" } });
    const started = Date.now();
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "openai", fallbackLayer: 0 });
    expect(fake.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  test("5xx is retried (three calls in all), then the chain falls back to the local renderer", async () => {
    fake.script.push("server_error", "server_error", "server_error");
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.received).toHaveLength(3);
  });

  test("a hang past the timeout is retried as transient, then falls back", async () => {
    fake.script.push("hang", "hang", "hang");
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" }, { providerTimeoutMs: 300 });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.received).toHaveLength(3);
  });

  test("429 insufficient_quota is an operator problem: no retry, the next provider serves", async () => {
    fake.script.push("quota");
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.received).toHaveLength(1);
  });

  test("a refused key (401) is not retried: the next provider serves", async () => {
    const { job } = await runJobWith({ ...fake.env, OPENAI_API_KEY: "sk-wrong" }, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.received).toHaveLength(1);
  });

  test("429 with Retry-After in seconds is retried after that wait", async () => {
    fake.script.push({ rateLimit: { retryAfter: "1" } });
    const started = Date.now();
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "openai" });
    expect(fake.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  test("the older content_policy_violation code is moderation too", async () => {
    fake.script.push("content_policy");
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "something refused" });
    expect(job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", chargedMicros: 0n });
  });

  test("the operator's check (providers:check openai) makes one real call through the adapter", async () => {
    await expect(checkProvider("openai", fake.env)).resolves.toMatch(/^OpenAI Images: ok — gpt-image-2, image\/png, \d+ bytes in [\d.]+ s, request req_fake_1$/);
    expect(fake.received[0]!.json).toMatchObject({ quality: "low", size: "1024x1024", n: 1 });
  });

  test("moderation_blocked fails the job with content_policy_violation and releases the hold in full", async () => {
    fake.script.push("moderation");
    const { job, before, after } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "something refused", n: 2 });
    expect(job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "openai", upstreamRequestId: "req_fake_1" });
    expect(job.chargedMicros).toBe(0n);
    expect(after.balanceMicros).toBe(before.balanceMicros);
    expect(after.heldMicros).toBe(0n);
    expect(fake.received).toHaveLength(1);
  });

  test("another 400 is the request's fault: the job fails with invalid_request, charged nothing", async () => {
    fake.script.push("invalid");
    const { job, before, after } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "failed", errorCode: "invalid_request", provider: "openai" });
    expect(job.errorMessage).toContain("Invalid value for 'size'");
    expect(after.balanceMicros).toBe(before.balanceMicros);
  });

  test("a 200 without an image is a failure, never an empty success: the next provider serves", async () => {
    fake.script.push("empty");
    const { job } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.received).toHaveLength(1);
  });

  test("3 of 4 images delivered: 3 are paid for", async () => {
    fake.script.push({ images: 3 });
    const { job, before, after } = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite", n: 4, quality: "low" });
    expect(job).toMatchObject({ status: "succeeded", provider: "openai" });
    expect(job.estimatedMicros).toBe(usd("0.056"));
    expect(job.chargedMicros).toBe(usd("0.042"));
    expect(after.balanceMicros).toBe(before.balanceMicros - usd("0.042"));
  });

  test("a smaller image than asked is charged at its actual size; a larger one never above the estimate", async () => {
    fake.script.push({ size: { width: 1024, height: 1024 } });
    const smaller = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite", size: "2048x2048" });
    expect(smaller.job.estimatedMicros).toBe(usd("0.324"));
    expect(smaller.job.chargedMicros).toBe(usd("0.081"));

    fake.script.push({ size: { width: 1536, height: 1024 } });
    const larger = await runJobWith(fake.env, { model: "gpt-image-2", prompt: "a kite", size: "1:1" });
    expect(larger.job.chargedMicros).toBe(usd("0.081"));
  });
});

describe("OpenAI Images: edits", () => {
  async function editRequest(references: number): Promise<ProviderRequest> {
    const bytes = await imageBytes(64, 48, "jpeg");
    return {
      jobId: "job_test",
      model: findModel("gpt-image-2")!,
      prompt: "make it night",
      size: "1024x1536",
      width: 1024,
      height: 1536,
      n: 2,
      quality: "low",
      references: Array.from({ length: references }, () => ({ bytes, contentType: "image/jpeg", width: 64, height: 48 })),
    };
  }

  test("references go to /images/edits as image[] files, the numbers as strings", async () => {
    const adapter = openaiUpstream.create(fake.env);
    const result = await adapter.generate(await editRequest(2), new AbortController().signal);
    expect(result.images).toHaveLength(2);
    expect(result.images[0]).toMatchObject({ contentType: "image/png", width: 1024, height: 1536 });
    expect(result.upstreamRequestId).toBe("req_fake_1");
    const [sent] = fake.requestsTo("/v1/images/edits", "POST");
    expect(sent!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent!.fields).toEqual([
      { name: "model", value: "gpt-image-2" },
      { name: "prompt", value: "make it night" },
      { name: "n", value: "2" },
      { name: "size", value: "1024x1536" },
      { name: "quality", value: "low" },
      { name: "output_format", value: "png" },
    ]);
    expect(sent!.files!.map((file) => [file.field, file.filename, file.contentType])).toEqual([
      ["image[]", "reference-1.jpeg", "image/jpeg"],
      ["image[]", "reference-2.jpeg", "image/jpeg"],
    ]);
  });

  test("a moderated edit is an input failure with content_policy_violation", async () => {
    fake.script.push("moderation");
    const adapter = openaiUpstream.create(fake.env);
    await expect(adapter.generate(await editRequest(1), new AbortController().signal)).rejects.toMatchObject({
      kind: "input",
      code: "content_policy_violation",
      upstreamRequestId: "req_fake_1",
    });
  });

  test("unableToServe: more references than OpenAI takes, a size it lacks", async () => {
    const adapter = openaiUpstream.create(fake.env);
    expect(adapter.unableToServe!(await editRequest(16))).toBeUndefined();
    expect(adapter.unableToServe!(await editRequest(17))).toMatch(/at most 16/);
    expect(adapter.unableToServe!({ ...(await editRequest(0)), width: 1000, height: 1000 })).toMatch(/no 1000x1000/);
  });

  test("enabled by OPENAI_API_KEY alone", () => {
    expect(openaiUpstream.disabledReason({})).toBe("OPENAI_API_KEY is not set");
    expect(openaiUpstream.disabledReason({ OPENAI_API_KEY: "sk" })).toBeUndefined();
  });
});

// The Recraft adapter against a fake Recraft server: the model name and size sent for each of
// our models and aspect ratios, SVG for the vector models, and what each documented failure
// does to the job and to the account's money.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel, resolveSize } from "@/lib/catalog";
import { logger } from "@/lib/http/logger";
import { imagesOf } from "@/lib/testing/job-images";
import { RECRAFT_TEST_TOKEN, startFakeRecraft, type FakeRecraft } from "@/lib/testing/fake-recraft";
import { chargedMicros, runJobWith } from "@/lib/testing/provider-jobs";
import { recraftUpstream } from "./recraft";
import type { ProviderRequest } from "./types";

let recraft: FakeRecraft;

beforeAll(async () => {
  recraft = await startFakeRecraft();
});
afterAll(() => recraft.close());
beforeEach(() => {
  recraft.received.length = 0;
  recraft.script.length = 0;
});

const charged = chargedMicros;

function requestFor(modelId: string, size: string, n = 1): ProviderRequest {
  const model = findModel(modelId)!;
  const resolved = resolveSize(size, model.sizes, model.customSize)!;
  return { jobId: "job_test", model, prompt: "a logo", size, width: resolved.width, height: resolved.height, n, references: [] };
}

describe("Recraft: the request on the wire", () => {
  test("recraft-v4 by default: the token, the documented body, the image stored and paid for", async () => {
    const run = await runJobWith(recraft.env, { prompt: "a paper crane" });
    expect(run.job).toMatchObject({ status: "succeeded", model: "recraft-v4", provider: "recraft", fallbackLayer: 0 });
    const [sent] = recraft.generations();
    expect(sent!.headers.authorization).toBe(`Bearer ${RECRAFT_TEST_TOKEN}`);
    expect(sent!.json).toEqual({ prompt: "a paper crane", model: "recraftv4", n: 1, size: "1024x1024", response_format: "url" });
    expect(run.job.upstreamRequestId).toMatch(/^req-/);
    const [image] = await imagesOf(run.job.id);
    expect(image).toMatchObject({ width: 1024, height: 1024, contentType: "image/webp" });
    expect(run.job.chargedMicros).toBe(54_000n);
    expect(charged(run)).toBe(54_000n);
  });

  test.each([
    ["recraft-v4", "16:9", "recraftv4", "1344x768"],
    ["recraft-v4", "4:3", "recraftv4", "1216x896"],
    ["recraft-v4", "21:9", "recraftv4", "1536x768"],
    ["recraft-v4", "1344x768", "recraftv4", "1344x768"],
    ["recraft-v4-pro", "1:1", "recraftv4_pro", "2048x2048"],
    ["recraft-v4-pro", "4:3", "recraftv4_pro", "2432x1792"],
    ["recraft-v4-pro", "9:16", "recraftv4_pro", "1536x2688"],
    ["recraft-v3", "4:3", "recraftv3", "1365x1024"],
    ["recraft-v3", "3:4", "recraftv3", "1024x1365"],
    ["recraft-v3", "16:9", "recraftv3", "1820x1024"],
    ["recraft-v3", "21:9", "recraftv3", "2048x1024"],
    ["recraft-v4-vector", "16:9", "recraftv4_vector", "16:9"],
    ["recraft-v4-vector", "21:9", "recraftv4_vector", "2:1"],
    ["recraft-v4-vector-pro", "3:4", "recraftv4_pro_vector", "3:4"],
  ])("%s at %s is sent as model %s, size %s", async (modelId, size, name, sentSize) => {
    const result = await recraftUpstream.create(recraft.env).generate(requestFor(modelId, size), new AbortController().signal);
    expect(recraft.generations()[0]!.json).toEqual({ prompt: "a logo", model: name, n: 1, size: sentSize, response_format: "url" });
    expect(result.images).toHaveLength(1);
  });

  test("a vector model's SVG is stored as image/svg+xml", async () => {
    const run = await runJobWith(recraft.env, { model: "recraft-v4-vector", prompt: "a fox icon", n: 2 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "recraft" });
    expect(recraft.generations()[0]!.json).toMatchObject({ model: "recraftv4_vector", n: 2, size: "1:1" });
    const images = await imagesOf(run.job.id);
    expect(images.map((image) => image.contentType)).toEqual(["image/svg+xml", "image/svg+xml"]);
    expect(run.job.chargedMicros).toBe(2n * 108_000n);
  });
});

describe("the fake is as strict as Recraft", () => {
  test("a misspelt field, a size the model lacks or a wrong token is refused", async () => {
    const post = (body: unknown, token = RECRAFT_TEST_TOKEN) =>
      fetch(`${recraft.origin}/v1/images/generations`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ prompt: "a", model: "recraftv4", sise: "1024x1024" })).status).toBe(400);
    expect((await post({ prompt: "a", model: "recraftv3", size: "1216x896" })).status).toBe(400); // V4's 4:3, not V3's
    expect((await post({ prompt: "a", model: "recraftv4" }, "wrong")).status).toBe(401);
    expect((await post({ prompt: "a", model: "recraftv4", size: "1216x896" })).status).toBe(200);
  });
});

describe("Recraft: failures", () => {
  test("a prompt flagged as inappropriate fails the job with content_policy_violation and releases the hold", async () => {
    recraft.script.push("moderated");
    const run = await runJobWith(recraft.env, { prompt: "something refused" });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "recraft" });
    expect(run.job.chargedMicros).toBe(0n);
    expect(charged(run)).toBe(0n);
    expect(run.after.heldMicros).toBe(0n);
    expect(recraft.generations()).toHaveLength(1);
  });

  test("an invalid parameter (400) fails the job as invalid input, with Recraft's message", async () => {
    recraft.script.push("invalid");
    const run = await runJobWith(recraft.env, { prompt: "a crane" });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "invalid_request" });
    expect(run.job.errorMessage).toContain("Parameter 'prompt' is invalid");
    expect(charged(run)).toBe(0n);
  });

  test("a wrong token (401) falls back without a retry", async () => {
    recraft.script.push("unauthorized");
    const run = await runJobWith(recraft.env, { prompt: "a crane" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 }); // fal is not configured: local is next
    expect(recraft.generations()).toHaveLength(1);
  });

  test("not enough credits is an operator alert, and the next provider serves the job", async () => {
    const errors = vi.spyOn(logger, "error");
    try {
      recraft.script.push("out_of_credit");
      const run = await runJobWith(recraft.env, { prompt: "a crane" });
      expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
      expect(recraft.generations()).toHaveLength(1);
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ alert: "provider_out_of_credit", provider: "recraft" }), expect.any(String));
    } finally {
      errors.mockRestore();
    }
  });

  test("a 429 is retried after its Retry-After and then served by Recraft", async () => {
    recraft.script.push("rate_limited");
    const started = performance.now();
    const run = await runJobWith(recraft.env, { prompt: "a crane" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "recraft" });
    expect(recraft.generations()).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("a 500 is retried, then the job falls back", async () => {
    recraft.script.push("server_error", "server_error", "server_error");
    const run = await runJobWith(recraft.env, { prompt: "a crane" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(recraft.generations()).toHaveLength(3);
  });

  test("a request that hangs past the timeout is retried, then falls back", async () => {
    recraft.script.push("hang", "hang", "hang");
    const run = await runJobWith(recraft.env, { prompt: "a crane" }, { providerTimeoutMs: 300 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(recraft.generations()).toHaveLength(3);
  });

  test.each(["empty", "expired"] as const)("a 200 with %s images falls back to the next provider", async (behaviour) => {
    recraft.script.push(behaviour);
    const run = await runJobWith(recraft.env, { prompt: "a crane" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(recraft.generations()).toHaveLength(1);
  });

  test("3 of 4 images returned: the job pays for 3", async () => {
    recraft.script.push({ images: 3 });
    const run = await runJobWith(recraft.env, { prompt: "four cranes", n: 4 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "recraft" });
    expect(await imagesOf(run.job.id)).toHaveLength(3);
    expect(run.job.estimatedMicros).toBe(4n * 54_000n);
    expect(run.job.chargedMicros).toBe(3n * 54_000n);
    expect(charged(run)).toBe(3n * 54_000n);
    expect(run.after.heldMicros).toBe(0n);
  });
});

// The Ideogram adapter against a fake Ideogram server: the multipart form sent for each of our
// sizes, images marked unsafe, and what each documented failure does to the job and the money.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { findModel, resolveSize } from "@/lib/catalog";
import { imagesOf } from "@/lib/testing/job-images";
import { IDEOGRAM_TEST_KEY, startFakeIdeogram, type FakeIdeogram } from "@/lib/testing/fake-ideogram";
import { chargedMicros, runJobWith, type RanJob } from "@/lib/testing/provider-jobs";
import { ideogramUpstream } from "./ideogram";

let ideogram: FakeIdeogram;

beforeAll(async () => {
  ideogram = await startFakeIdeogram();
});
afterAll(() => ideogram.close());
beforeEach(() => {
  ideogram.received.length = 0;
  ideogram.script.length = 0;
});

const MODEL = "ideogram-v3";
const charged = chargedMicros;

function expectReleasedInFull(run: RanJob) {
  expect(run.job.chargedMicros).toBe(0n);
  expect(charged(run)).toBe(0n);
  expect(run.after.heldMicros).toBe(0n);
}

describe("Ideogram: the request on the wire", () => {
  test("a multipart form with the Api-Key header; the images downloaded, stored and paid for", async () => {
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: 'a poster that reads "OPEN LATE"', size: "16:9", n: 2, seed: 42 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "ideogram", fallbackLayer: 0 });
    const [sent] = ideogram.generations();
    expect(sent!.headers["api-key"]).toBe(IDEOGRAM_TEST_KEY);
    expect(sent!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent!.fields).toEqual([
      { name: "prompt", value: 'a poster that reads "OPEN LATE"' },
      { name: "aspect_ratio", value: "16x9" },
      { name: "num_images", value: "2" },
      { name: "rendering_speed", value: "DEFAULT" },
      { name: "magic_prompt", value: "OFF" },
      { name: "seed", value: "42" },
    ]);
    expect(run.job.upstreamRequestId).toMatch(/^ideo-/);
    const images = await imagesOf(run.job.id);
    expect(images.map((image) => [image.width, image.height])).toEqual([
      [1312, 736],
      [1312, 736],
    ]);
    expect(run.job.chargedMicros).toBe(2n * 108_000n);
  });

  test.each([
    ["1:1", { aspect_ratio: "1x1" }],
    ["9:16", { aspect_ratio: "9x16" }],
    ["4:3", { aspect_ratio: "4x3" }],
    ["3:4", { aspect_ratio: "3x4" }],
    ["21:9", { resolution: "1536x640" }],
    ["1152x896", { aspect_ratio: "4x3" }],
  ])("size %s is sent as %o", async (size, sizeFields) => {
    const model = findModel(MODEL)!;
    const resolved = resolveSize(size, model.sizes)!;
    const result = await ideogramUpstream
      .create(ideogram.env)
      .generate({ jobId: "job_test", model, prompt: "a sign", size, width: resolved.width, height: resolved.height, n: 1, references: [] }, new AbortController().signal);
    expect(ideogram.fieldsOf(ideogram.generations()[0]!)).toEqual({ prompt: "a sign", ...sizeFields, num_images: "1", rendering_speed: "DEFAULT", magic_prompt: "OFF" });
    expect(result.images).toHaveLength(1);
  });
});

describe("the fake is as strict as Ideogram", () => {
  test("JSON, a misspelt field, a ratio written 16:9 or a wrong key is refused", async () => {
    const post = (fields: Record<string, string>, key = IDEOGRAM_TEST_KEY) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      return fetch(`${ideogram.origin}/v1/ideogram-v3/generate`, { method: "POST", headers: { "api-key": key }, body: form });
    };
    const json = await fetch(`${ideogram.origin}/v1/ideogram-v3/generate`, { method: "POST", headers: { "api-key": IDEOGRAM_TEST_KEY, "content-type": "application/json" }, body: JSON.stringify({ prompt: "a" }) });
    expect(json.status).toBe(400);
    expect((await post({ prompt: "a", num_image: "1" })).status).toBe(400);
    expect((await post({ prompt: "a", aspect_ratio: "16:9" })).status).toBe(400);
    expect((await post({ prompt: "a" }, "wrong")).status).toBe(401);
    expect((await post({ prompt: "a", aspect_ratio: "16x9" })).status).toBe(200);
  });
});

describe("Ideogram: failures", () => {
  test("a prompt that fails the safety check (422) fails the job with content_policy_violation", async () => {
    ideogram.script.push("unsafe_prompt");
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "something refused" });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "ideogram" });
    expectReleasedInFull(run);
    expect(ideogram.generations()).toHaveLength(1);
  });

  test("every image marked unsafe fails the job as moderated, and nothing is charged", async () => {
    ideogram.script.push({ unsafe: 2 });
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "two posters", n: 2 });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation" });
    expectReleasedInFull(run);
  });

  test("unsafe images are dropped: 3 of 4 delivered, 3 paid for", async () => {
    ideogram.script.push({ unsafe: 1 });
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "four posters", n: 4 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "ideogram" });
    expect(await imagesOf(run.job.id)).toHaveLength(3);
    expect(run.job.chargedMicros).toBe(3n * 108_000n);
    expect(charged(run)).toBe(3n * 108_000n);
    expect(run.after.heldMicros).toBe(0n);
  });

  test("fewer images than asked are paid for as delivered", async () => {
    ideogram.script.push({ images: 1 });
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "two posters", n: 2 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "ideogram" });
    expect(run.job.chargedMicros).toBe(108_000n);
  });

  test("a bad request (400) fails the job as invalid input, with Ideogram's message", async () => {
    ideogram.script.push("invalid");
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "a poster" });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "invalid_request" });
    expect(run.job.errorMessage).toContain("prompt is too long");
    expectReleasedInFull(run);
  });

  test("a wrong key (401) falls back without a retry", async () => {
    const run = await runJobWith({ ...ideogram.env, IDEOGRAM_API_KEY: "wrong" }, { model: MODEL, prompt: "a poster" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(ideogram.generations()).toHaveLength(1);
  });

  test("a 429 is retried after its Retry-After and then served by Ideogram", async () => {
    ideogram.script.push("rate_limited");
    const started = performance.now();
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "a poster" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "ideogram" });
    expect(ideogram.generations()).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("a 500 is retried, then the job falls back", async () => {
    ideogram.script.push("server_error", "server_error", "server_error");
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "a poster" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(ideogram.generations()).toHaveLength(3);
  });

  test("a request that hangs past the timeout is retried, then falls back", async () => {
    ideogram.script.push("hang", "hang", "hang");
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "a poster" }, { providerTimeoutMs: 300 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(ideogram.generations()).toHaveLength(3);
  });

  test.each(["empty", "expired"] as const)("a 200 with %s images falls back to the next provider", async (behaviour) => {
    ideogram.script.push(behaviour);
    const run = await runJobWith(ideogram.env, { model: MODEL, prompt: "a poster" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(ideogram.generations()).toHaveLength(1);
  });
});

// The MiniMax adapter against a fake MiniMax server: the body sent for image-01, MiniMax's
// errors-as-HTTP-200 read by their status codes, images withheld by its safety check, and
// what each outcome costs the account.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel, resolveSize } from "@/lib/catalog";
import { logger } from "@/lib/http/logger";
import { imagesOf } from "@/lib/testing/job-images";
import { MINIMAX_TEST_KEY, startFakeMiniMax, type FakeMiniMax } from "@/lib/testing/fake-minimax";
import { chargedMicros, runJobWith, type RanJob } from "@/lib/testing/provider-jobs";
import { minimaxUpstream } from "./minimax";

let minimax: FakeMiniMax;

beforeAll(async () => {
  minimax = await startFakeMiniMax();
});
afterAll(() => minimax.close());
beforeEach(() => {
  minimax.received.length = 0;
  minimax.script.length = 0;
});

const MODEL = "minimax-image-01";
const charged = chargedMicros;

function expectReleasedInFull(run: RanJob) {
  expect(run.job.chargedMicros).toBe(0n);
  expect(charged(run)).toBe(0n);
  expect(run.after.heldMicros).toBe(0n);
}

describe("MiniMax: the request on the wire", () => {
  test("image-01 with the key, our aspect ratio, n, base64 and no prompt rewriting; images stored and paid for", async () => {
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram in the rain", size: "16:9", n: 2, seed: 3 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "minimax", fallbackLayer: 0 });
    const [sent] = minimax.generations();
    expect(sent!.headers.authorization).toBe(`Bearer ${MINIMAX_TEST_KEY}`);
    expect(sent!.json).toEqual({ model: "image-01", prompt: "a tram in the rain", aspect_ratio: "16:9", n: 2, response_format: "base64", prompt_optimizer: false, seed: 3 });
    expect(run.job.upstreamRequestId).toMatch(/^[0-9a-f]{32}$/);
    const images = await imagesOf(run.job.id);
    expect(images.map((image) => [image.width, image.height, image.contentType])).toEqual([
      [1280, 720, "image/jpeg"],
      [1280, 720, "image/jpeg"],
    ]);
    expect(run.job.chargedMicros).toBe(10_000n);
  });

  test.each([
    ["1:1", "1:1"],
    ["9:16", "9:16"],
    ["4:3", "4:3"],
    ["3:4", "3:4"],
    ["21:9", "21:9"],
    ["1536x640", "21:9"],
  ])("size %s is sent as aspect_ratio %s", async (size, aspect) => {
    const model = findModel(MODEL)!;
    const resolved = resolveSize(size, model.sizes)!;
    const result = await minimaxUpstream
      .create(minimax.env)
      .generate({ jobId: "job_test", model, prompt: "a tram", size, width: resolved.width, height: resolved.height, n: 1, references: [] }, new AbortController().signal);
    expect((minimax.generations()[0]!.json as Record<string, unknown>).aspect_ratio).toBe(aspect);
    expect(result.images).toHaveLength(1);
  });
});

describe("the fake is as strict as MiniMax", () => {
  test("a misspelt field or an aspect ratio image-01 lacks is 2013 invalid params", async () => {
    const post = async (body: unknown) =>
      (await (await fetch(`${minimax.origin}/v1/image_generation`, { method: "POST", headers: { authorization: `Bearer ${MINIMAX_TEST_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as { base_resp: { status_code: number } };
    expect((await post({ model: "image-01", prompt: "a", aspect_ration: "1:1" })).base_resp.status_code).toBe(2013);
    expect((await post({ model: "image-01", prompt: "a", aspect_ratio: "5:4" })).base_resp.status_code).toBe(2013);
    expect((await post({ model: "image-01", prompt: "a", aspect_ratio: "21:9" })).base_resp.status_code).toBe(0);
  });
});

describe("MiniMax: failures", () => {
  test.each([
    [1026, "input new_sensitive", "content_policy_violation"],
    [1027, "output new_sensitive", "content_policy_violation"],
    [2013, "invalid params, prompt", "invalid_request"],
  ])("status code %i fails the job with %s → %s and releases the hold", async (code, message, errorCode) => {
    minimax.script.push({ code, message });
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram" });
    expect(run.job).toMatchObject({ status: "failed", errorCode, provider: "minimax" });
    expect(run.job.errorMessage).toContain(message);
    expectReleasedInFull(run);
    expect(minimax.generations()).toHaveLength(1);
  });

  test("a key MiniMax refuses (1004) falls back to the local renderer without a retry", async () => {
    const run = await runJobWith({ ...minimax.env, MINIMAX_API_KEY: "wrong" }, { model: MODEL, prompt: "a tram" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(minimax.generations()).toHaveLength(1);
  });

  test("out of balance (1008) is an operator alert, and the next provider serves the job", async () => {
    const errors = vi.spyOn(logger, "error");
    try {
      minimax.script.push({ code: 1008, message: "insufficient balance" });
      const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram" });
      expect(run.job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
      expect(minimax.generations()).toHaveLength(1);
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ alert: "provider_out_of_credit", provider: "minimax" }), expect.any(String));
    } finally {
      errors.mockRestore();
    }
  });

  test("a rate limit (1002) is retried, then served by MiniMax", async () => {
    minimax.script.push({ code: 1002, message: "rate limit exceeded(RPM)" });
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "minimax" });
    expect(minimax.generations()).toHaveLength(2);
  });

  test("an unknown status code is the upstream's failure: the next provider serves, no retry", async () => {
    minimax.script.push({ code: 1039, message: "token limit" });
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(minimax.generations()).toHaveLength(1);
  });

  test("an HTTP 500 is retried, then the job falls back", async () => {
    minimax.script.push("http_500", "http_500", "http_500");
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(minimax.generations()).toHaveLength(3);
  });

  test("a request that hangs past the timeout is retried, then falls back", async () => {
    minimax.script.push("hang", "hang", "hang");
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "a tram" }, { providerTimeoutMs: 300 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(minimax.generations()).toHaveLength(3);
  });

  test("1 of 4 images withheld by the safety check: the job delivers 3 and pays for 3", async () => {
    minimax.script.push({ blocked: 1 });
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "four trams", n: 4 });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "minimax" });
    expect(await imagesOf(run.job.id)).toHaveLength(3);
    expect(run.job.chargedMicros).toBe(3n * 5_000n);
    expect(charged(run)).toBe(3n * 5_000n);
    expect(run.after.heldMicros).toBe(0n);
  });

  test("every image withheld: the job fails as moderated and nothing is charged", async () => {
    minimax.script.push({ blocked: 2 });
    const run = await runJobWith(minimax.env, { model: MODEL, prompt: "two trams", n: 2 });
    expect(run.job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "minimax" });
    expectReleasedInFull(run);
  });
});

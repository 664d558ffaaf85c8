// The local renderer's knobs: `[[easel:…]]` directives, latency, abort and failure rate.
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findModel } from "@/lib/catalog";
import { localRenderer, parseDirectives } from "../local";
import type { ProviderRequest } from "../types";

const recraft = findModel("recraft-v4");

function request(prompt: string, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  if (!recraft) throw new Error("recraft-v4 is missing from the catalogue");
  return { jobId: randomUUID(), model: recraft, prompt, size: "512x512", width: 512, height: 512, n: 1, seed: 1, references: [], ...overrides };
}

const run = (req: ProviderRequest, signal = new AbortController().signal) => localRenderer.generate(req, signal);

/** Milliseconds `promise` takes to settle, and how. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const start = performance.now();
  try {
    await promise;
    return { ms: performance.now() - start };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

beforeEach(() => {
  vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "0");
  vi.stubEnv("LOCAL_RENDERER_FAILURE_RATE", "0");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("parseDirectives", () => {
  it("finds every directive, removes it from the text and tidies the spaces", () => {
    const parsed = parseDirectives("a cat [[easel:images=2]] on a mat [[EASEL: size=320x200 ; latency=25]][[easel:flaky=3]]");
    expect(parsed.text).toBe("a cat on a mat");
    expect(parsed.directives).toEqual({ fail: false, timeout: false, images: 2, size: { width: 320, height: 200 }, latencyMs: 25, flaky: 3 });
    expect(parseDirectives("[[easel:fail]] x [[easel:timeout]]").directives).toMatchObject({ fail: true, timeout: true });
  });

  it("ignores malformed or out-of-range values but still hides them", () => {
    const parsed = parseDirectives("x [[easel:images=-1]] [[easel:size=5x5]] [[easel:latency=soon]] [[easel:bogus]] y");
    expect(parsed).toEqual({ text: "x y", directives: { fail: false, timeout: false } });
  });

  it("leaves a prompt without directives alone", () => {
    expect(parseDirectives("  [[not one]] [easel:fail] ")).toEqual({ text: "[[not one]] [easel:fail]", directives: { fail: false, timeout: false } });
  });
});

describe("directives", () => {
  it("fail: a non-retryable upstream error", async () => {
    await expect(run(request("x [[easel:fail]]"))).rejects.toMatchObject({
      name: "ProviderError",
      kind: "upstream",
      code: "generation_failed",
      message: "The local renderer was told to fail this job.",
    });
  });

  it("timeout: never finishes, then rejects with the abort reason", async () => {
    const controller = new AbortController();
    const pending = timed(run(request("x [[easel:timeout]]"), controller.signal));
    const settled = await Promise.race([pending.then(() => "settled"), new Promise((resolve) => setTimeout(resolve, 300, "waiting"))]);
    expect(settled).toBe("waiting");
    const reason = new Error("job deadline");
    controller.abort(reason);
    const { ms, error } = await pending;
    expect(error).toBe(reason);
    expect(ms).toBeLessThan(300 + 500);
  });

  it("images=K: fewer images than asked, never more", async () => {
    expect((await run(request("x [[easel:images=2]]", { n: 4 }))).images).toHaveLength(2);
    expect((await run(request("x [[easel:images=9]]", { n: 3 }))).images).toHaveLength(3);
    expect((await run(request("x [[easel:images=0]]", { n: 2 }))).images).toHaveLength(0);
  });

  it("size=WxH: images of that size whatever was asked", async () => {
    const { images } = await run(request("x [[easel:size=320x200]]", { n: 2 }));
    for (const image of images) {
      expect(image).toMatchObject({ width: 320, height: 200 });
      expect(await sharp(image.bytes).metadata()).toMatchObject({ width: 320, height: 200 });
    }
  });

  it("latency=MS: overrides the environment, both ways", async () => {
    vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "60000");
    expect((await timed(run(request("x [[easel:latency=0]]")))).ms).toBeLessThan(3000);
    vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "0");
    expect((await timed(run(request("x [[easel:latency=300]]")))).ms).toBeGreaterThanOrEqual(280);
  });

  it("flaky=K: the first K calls of a job fail as transient, later ones succeed", async () => {
    const req = request("x [[easel:flaky=2]]");
    for (let call = 0; call < 2; call++) {
      await expect(run(req)).rejects.toMatchObject({ kind: "transient", code: "provider_unavailable" });
    }
    expect((await run(req)).images).toHaveLength(1);
    // Another job has its own count.
    await expect(run({ ...req, jobId: randomUUID() })).rejects.toMatchObject({ kind: "transient" });
  });
});

describe("latency and abort", () => {
  it("waits LOCAL_RENDERER_LATENCY_MS, read at call time", async () => {
    vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "300");
    expect((await timed(run(request("x")))).ms).toBeGreaterThanOrEqual(280);
  });

  it("defaults to a noticeable latency when the variable is unset", async () => {
    vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", undefined);
    const controller = new AbortController();
    const pending = timed(run(request("x"), controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    const { error } = await pending;
    expect(error).toMatchObject({ name: "AbortError" });
  });

  it("stops promptly when the signal aborts during the wait", async () => {
    vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "10000");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { ms, error } = await timed(run(request("x"), controller.signal));
    expect(error).toMatchObject({ name: "AbortError" });
    expect(ms).toBeLessThan(50 + 500);
  });

  it("stops promptly when the signal aborts while drawing", async () => {
    const controller = new AbortController();
    const reason = new Error("canceled by the user");
    const pending = timed(run(request(`big ${randomUUID()}`, { width: 2048, height: 2048, n: 4 }), controller.signal));
    setTimeout(() => controller.abort(reason), 5);
    const { ms, error } = await pending;
    expect(error).toBe(reason);
    expect(ms).toBeLessThan(5 + 500);
  });

  it("rejects at once with an already-aborted signal", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    controller.abort(reason);
    await expect(run(request("x"), controller.signal)).rejects.toBe(reason);
  });
});

describe("LOCAL_RENDERER_FAILURE_RATE", () => {
  it("at 1 every call fails as transient", async () => {
    vi.stubEnv("LOCAL_RENDERER_FAILURE_RATE", "1");
    for (let i = 0; i < 5; i++) {
      await expect(run(request(`x ${i}`))).rejects.toMatchObject({ kind: "transient", code: "provider_unavailable" });
    }
  });

  it("at 0 no call fails", async () => {
    for (let i = 0; i < 5; i++) expect((await run(request(`x ${i}`))).images).toHaveLength(1);
  });
});

// The provider chain: retries, fallback and what counts as delivered. The upstreams here are
// stand-ins built for the test (the real adapters get fake servers of their own); the last
// link is the real local renderer.
import "@/lib/testing/isolated-database";
import { describe, expect, test, vi } from "vitest";
import { logger } from "@/lib/http/logger";
import type { ProviderId } from "@/lib/catalog";
import { localRenderer } from "@/lib/providers/local";
import { ProviderError, type ImageProvider, type ProviderRequest } from "@/lib/providers/types";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { queueConfig } from "./config";
import { executeJob } from "./execute";

const config = { ...queueConfig(), providerRetries: 2, providerRetryBaseMs: 1 };

/** An upstream that behaves as told and counts its calls. */
function upstream(id: ProviderId, behave: (request: ProviderRequest, call: number) => Promise<Awaited<ReturnType<ImageProvider["generate"]>>>) {
  const provider = {
    id,
    calls: 0,
    generate(request: ProviderRequest) {
      provider.calls++;
      return behave(request, provider.calls);
    },
  };
  return provider;
}

async function newJob(body: Record<string, unknown> = {}) {
  const { principal } = await createTestAccount();
  return submitJob(principal, { prompt: "a harbour", ...body });
}

describe("the provider chain", () => {
  test("an upstream that refuses falls back to the next provider, recorded as fallback layer 1", async () => {
    const refusing = upstream("fal", async () => {
      throw new ProviderError("upstream", "upstream_refused", "no");
    });
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [refusing, localRenderer], config });
    expect(outcome).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(refusing.calls).toBe(1); // refusals are not retried
  });

  test("transient failures are retried (retries + 1 calls), then the chain falls back", async () => {
    const flaky = upstream("openai", async () => {
      throw new ProviderError("transient", "provider_unavailable", "503");
    });
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [flaky, localRenderer], config });
    expect(flaky.calls).toBe(3);
    expect(outcome).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("a problem with the request itself fails at once, without trying further providers", async () => {
    const picky = upstream("bfl", async () => {
      throw new ProviderError("input", "invalid_image_url", "The reference could not be read.");
    });
    const next = upstream("fal", async () => ({ images: [] }));
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [picky, next], config });
    expect(outcome).toMatchObject({ status: "failed", code: "invalid_image_url", provider: "bfl", fallbackLayer: 0 });
    expect(next.calls).toBe(0);
  });

  test("when every provider fails, the job fails with the last provider's reason", async () => {
    const down = upstream("vertex", async () => {
      throw new ProviderError("upstream", "upstream_error", "Google said no.");
    });
    const empty = upstream("fal", async () => ({ images: [] }));
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [down, empty], config });
    expect(outcome).toMatchObject({ status: "failed", code: "no_images", provider: "fal", fallbackLayer: 1 });
  });

  test("more images than asked are cut to n, and dimensions are read from the bytes", async () => {
    const generous = upstream("recraft", async (request, _call) => {
      const result = await localRenderer.generate({ ...request, n: 3, width: 512, height: 512 }, new AbortController().signal);
      return { images: result.images.map((image) => ({ ...image, width: 9999, height: 9999 })) }; // it lies about size
    });
    const outcome = await executeJob(await newJob({ n: 2 }), new AbortController().signal, { chain: [generous], config });
    expect(outcome.status).toBe("succeeded");
    if (outcome.status !== "succeeded") return;
    expect(outcome.images.map((image) => [image.width, image.height])).toEqual([
      [512, 512],
      [512, 512],
    ]);
    expect(outcome.images[0]!.file).toMatchObject({ contentType: "image/png", width: 512, height: 512, purpose: "output" });
  });

  test("an abort (cancel, lost lease, shutdown) rejects instead of producing an outcome", async () => {
    // An adapter that ignores its signal must still not hold the job.
    const slow = upstream("ideogram", (_request, _call) => new Promise(() => {}));
    const controller = new AbortController();
    const running = executeJob(await newJob(), controller.signal, { chain: [slow], config: { ...config, providerTimeoutMs: 60_000 } });
    setTimeout(() => controller.abort(new Error("canceled")), 20);
    await expect(running).rejects.toThrow("canceled");
  });

  test("a provider that cannot take the request is skipped, not failed, and the layer says who served", async () => {
    const noSlots = { ...upstream("bfl", async () => ({ images: [] })), unableToServe: () => "it takes at most 8 references" };
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [noSlots, localRenderer], config });
    expect(noSlots.calls).toBe(0);
    expect(outcome).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
  });

  test("when every provider is skipped, the job fails saying why", async () => {
    const noSlots = { ...upstream("bfl", async () => ({ images: [] })), unableToServe: () => "it takes at most 8 references" };
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [noSlots], config });
    expect(outcome).toMatchObject({ status: "failed", code: "provider_unavailable", provider: null });
    expect(outcome.status === "failed" && outcome.message).toContain("at most 8 references");
  });

  test("an upstream out of credit is an operator alert, and the next provider serves the user", async () => {
    const errors = vi.spyOn(logger, "error");
    const broke = upstream("minimax", async () => {
      throw new ProviderError("credit", "provider_out_of_credit", "MiniMax is out of credit.");
    });
    try {
      const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [broke, localRenderer], config });
      expect(outcome).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
      expect(broke.calls).toBe(1); // not retried: more attempts cannot add credit
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ alert: "provider_out_of_credit", provider: "minimax" }), expect.any(String));
    } finally {
      errors.mockRestore();
    }
  });

  test("a transient failure's Retry-After is waited out before the retry", async () => {
    const calls: number[] = [];
    const limited = upstream("openai", async (request, call) => {
      calls.push(performance.now());
      if (call === 1) throw new ProviderError("transient", "provider_rate_limited", "429", { retryAfterMs: 300 });
      return localRenderer.generate(request, new AbortController().signal);
    });
    const outcome = await executeJob(await newJob(), new AbortController().signal, { chain: [limited], config });
    expect(outcome).toMatchObject({ status: "succeeded", provider: "openai", fallbackLayer: 0 });
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(290);
  });

  test("the upstream's request id is kept, on success and on failure", async () => {
    const served = upstream("fal", async (request) => ({ ...(await localRenderer.generate(request, new AbortController().signal)), upstreamRequestId: "req-123" }));
    await expect(executeJob(await newJob(), new AbortController().signal, { chain: [served], config })).resolves.toMatchObject({
      status: "succeeded",
      upstreamRequestId: "req-123",
    });
    const refused = upstream("fal", async () => {
      throw new ProviderError("input", "content_policy_violation", "moderated", { upstreamRequestId: "req-456" });
    });
    await expect(executeJob(await newJob(), new AbortController().signal, { chain: [refused], config })).resolves.toMatchObject({
      status: "failed",
      code: "content_policy_violation",
      upstreamRequestId: "req-456",
    });
  });
});

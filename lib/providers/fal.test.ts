// The fal adapter against a fake of fal's queue API (lib/testing/fake-fal.ts): what goes on the
// wire for each model, how fal's answers are classified, and CDN downloads. What each failure does
// to a job and to the money is in fal-jobs.test.ts.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { findModel, type ImageModel } from "@/lib/catalog";
import { presentJob } from "@/lib/jobs/present";
import { startFakeFal, type FakeFal } from "@/lib/testing/fake-fal";
import { fakeFalForEachTest } from "@/lib/testing/fake-fal-per-test";
import { imageBytes } from "@/lib/testing/fake-upstream";
import { chargedMicros, runJobWith, type RanJob } from "@/lib/testing/provider-jobs";
import { createImageFetcher } from "@/lib/net/safe-fetch";
import { createFalProvider, falUpstream } from "./fal";
import { ProviderError, type ProviderRequest, type ReferenceImage } from "./types";

const fal = fakeFalForEachTest();

const usd = (micros: bigint) => Number(micros) / 1_000_000;
const charged = (ran: RanJob) => usd(chargedMicros(ran));
const submitted = () => fal().submissions();

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

const adapter = () => falUpstream.create(fal().env);
const generate = (req: ProviderRequest) => adapter().generate(req, new AbortController().signal);

describe("the request on the wire", () => {
  test("recraft-v4 16:9, n=2: two submissions of the documented input, with the key, and the job pays for two", async () => {
    const ran = await runJobWith(fal().env, { model: "recraft-v4", prompt: "a lighthouse at dusk", size: "16:9", n: 2 });
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
    expect(fal().requestsTo("/fal-ai/recraft/requests/", "GET").length).toBeGreaterThanOrEqual(6);
    expect(charged(ran)).toBeCloseTo(0.108, 6);
    const ids = ran.job.upstreamRequestId!.split(",");
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(fal().requestsTo(`/fal-ai/recraft/requests/${id}/status`).length).toBeGreaterThan(0);
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
    const ran = await runJobWith(fal().env, { model: "recraft-v4-vector", prompt: "a fox logo" });
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


describe("classification", () => {
  test("a 403 about the balance is fal out of credit, not a refused key", async () => {
    fal().script({ kind: "reject", status: 403, body: { detail: "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing." } });
    const error = await generate(request("recraft-v4")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "credit", code: "provider_out_of_credit" });
    fal().script({ kind: "reject", status: 403, body: { detail: "Forbidden" } });
    expect(await generate(request("recraft-v4")).catch((e: unknown) => e)).toMatchObject({ kind: "upstream", code: "provider_auth_failed" });
  });

  test("status and response URLs outside the configured origin are refused: our key never leaves it", async () => {
    const error = await falUpstream
      .create({ FAL_KEY: fal().key, FAL_QUEUE_URL: fal().origin.replace("127.0.0.1", "localhost") })
      .generate(request("recraft-v4"), new AbortController().signal)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "upstream", message: expect.stringContaining("status_url outside") });
    expect(fal().received.filter((r) => r.path.includes("/requests/"))).toHaveLength(0);
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

describe("the fake is strict", () => {
  test("it refuses a misspelt field as fal's validation does", async () => {
    const response = await fetch(`${fal().origin}/fal-ai/recraft/v4/text-to-image`, {
      method: "POST",
      headers: { authorization: `Key ${fal().key}`, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "x", imagesize: "square_hd" }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ detail: [{ loc: ["body", "imagesize"], msg: "extra inputs are not permitted", type: "value_error" }] });
  });
});


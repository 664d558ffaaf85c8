// The Vertex AI adapter against fakes of Google's token endpoint and of Imagen's predict: the
// service-account grant, the request on the wire, and what each documented failure does to the
// job and to the money.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { findModel } from "@/lib/catalog";
import { startFakeVertex, type FakeVertex } from "@/lib/testing/fake-vertex";
import { runJobWith } from "@/lib/testing/provider-jobs";
import { checkProvider } from "./operator";
import type { ProviderRequest } from "./types";
import { vertexUpstream } from "./vertex";

let fake: FakeVertex;

beforeAll(async () => {
  vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
  fake = await startFakeVertex();
});
afterAll(async () => {
  await fake.close();
  vi.unstubAllEnvs();
});
beforeEach(() => fake.reset());

const usd = (text: string) => BigInt(Math.round(Number(text) * 1_000_000));
const body = (index = 0) => fake.predictRequests()[index]!.json as { instances: unknown; parameters: Record<string, unknown> };

async function request(overrides: Partial<ProviderRequest> = {}): Promise<ProviderRequest> {
  return { jobId: "job_test", model: findModel("imagen-4")!, prompt: "a fjord", size: "1:1", width: 1024, height: 1024, n: 1, references: [], ...overrides };
}

describe("Vertex AI: requests", () => {
  test("an imagen-4 job is one predict call, exactly as documented, with the service account's token", async () => {
    const { job, before, after } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord at noon", size: "16:9", n: 2 });
    expect(job).toMatchObject({ status: "succeeded", provider: "vertex", fallbackLayer: 0 });
    const [sent] = fake.predictRequests();
    expect(fake.predictRequests()).toHaveLength(1);
    expect(sent!.path).toBe(`/v1/projects/${fake.project}/locations/us-central1/publishers/google/models/imagen-4.0-generate-001:predict`);
    expect(sent!.headers.authorization).toMatch(/^Bearer ya29\.fake-/);
    expect(sent!.json).toEqual({
      instances: [{ prompt: "a fjord at noon" }],
      parameters: { sampleCount: 2, aspectRatio: "16:9", includeRaiReason: true, outputOptions: { mimeType: "image/png" } },
    });
    expect(job.chargedMicros).toBe(usd("0.108"));
    expect(after.balanceMicros).toBe(before.balanceMicros - usd("0.108"));
    expect(after.heldMicros).toBe(0n);
  });

  test.each([
    ["imagen-4-fast", "imagen-4.0-fast-generate-001"],
    ["imagen-4", "imagen-4.0-generate-001"],
    ["imagen-4-ultra", "imagen-4.0-ultra-generate-001"],
  ])("%s is %s", async (model, upstream) => {
    const adapter = vertexUpstream.create(fake.env());
    await adapter.generate(await request({ model: findModel(model)! }), new AbortController().signal);
    expect(fake.predictRequests()[0]!.path).toMatch(new RegExp(`/models/${upstream.replaceAll(".", "\\.")}:predict$`));
  });

  test.each([
    ["1:1", 1024, 1024, "1:1", [1024, 1024]],
    ["16:9", 1344, 768, "16:9", [1408, 768]],
    ["9:16", 768, 1344, "9:16", [768, 1408]],
    ["4:3", 1152, 896, "4:3", [1280, 896]],
    ["3:4", 896, 1152, "3:4", [896, 1280]],
  ])("size %s is asked as aspectRatio %s; the image keeps Imagen's pixels", async (size, width, height, ratio, drawn) => {
    const adapter = vertexUpstream.create(fake.env());
    const result = await adapter.generate(await request({ size, width, height }), new AbortController().signal);
    expect(body().parameters.aspectRatio).toBe(ratio);
    expect(result.images[0]).toMatchObject({ contentType: "image/png", width: drawn[0], height: drawn[1] });
  });

  test("a seed is sent with the watermark off (Imagen refuses a seed with it on)", async () => {
    const adapter = vertexUpstream.create(fake.env());
    await adapter.generate(await request({ seed: 41 }), new AbortController().signal);
    expect(body().parameters).toMatchObject({ seed: 42, addWatermark: false });
  });

  test("unableToServe: a size Imagen lacks, more than 4 images, references; enabled by project and key file", async () => {
    const adapter = vertexUpstream.create(fake.env());
    expect(adapter.unableToServe!(await request())).toBeUndefined();
    expect(adapter.unableToServe!(await request({ width: 1536, height: 640 }))).toMatch(/no 1536x640/);
    expect(adapter.unableToServe!(await request({ n: 5 }))).toMatch(/at most 4/);
    expect(vertexUpstream.disabledReason({ GOOGLE_VERTEX_PROJECT: "p" })).toBe("GOOGLE_APPLICATION_CREDENTIALS is not set");
    expect(vertexUpstream.disabledReason({ GOOGLE_VERTEX_PROJECT: "p", GOOGLE_APPLICATION_CREDENTIALS: "/k.json" })).toBeUndefined();
  });
});

describe("Vertex AI: the service account's token", () => {
  test("is a signed JWT-bearer grant, fetched once and kept for the next job", async () => {
    const env = fake.env({ keyFile: fake.newKeyFile() });
    const first = await runJobWith(env, { model: "imagen-4-fast", prompt: "a fjord" });
    const second = await runJobWith(env, { model: "imagen-4-fast", prompt: "another fjord" });
    expect([first.job.provider, second.job.provider]).toEqual(["vertex", "vertex"]);
    expect(fake.predictRequests()).toHaveLength(2);
    expect(fake.tokenRequests()).toHaveLength(1);
    const form = new URLSearchParams(fake.tokenRequests()[0]!.raw.toString("utf8"));
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const claims = JSON.parse(Buffer.from(form.get("assertion")!.split(".")[1]!, "base64url").toString("utf8"));
    expect(claims).toMatchObject({ iss: fake.clientEmail, aud: "https://oauth2.googleapis.com/token", scope: "https://www.googleapis.com/auth/cloud-platform" });
  });

  test("a token about to expire is not reused: each job fetches a new one", async () => {
    fake.tokenLifetimeSeconds = 60; // inside the library's five-minute refresh margin
    const env = fake.env({ keyFile: fake.newKeyFile() });
    await runJobWith(env, { model: "imagen-4-fast", prompt: "a fjord" });
    await runJobWith(env, { model: "imagen-4-fast", prompt: "another fjord" });
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  test("a key the token endpoint refuses (a wrong signature) is ours to fix: no predict, the next provider serves", async () => {
    const { job } = await runJobWith(fake.env({ keyFile: fake.wrongKeyFile() }), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.predictRequests()).toHaveLength(0);
  });

  test("a token endpoint that fails for a moment is asked again", async () => {
    fake.tokenScript.push("server_error");
    const { job } = await runJobWith(fake.env({ keyFile: fake.newKeyFile() }), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "vertex" });
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  test("a missing key file falls back too", async () => {
    const { job } = await runJobWith(fake.env({ keyFile: "/nonexistent/easel-key.json" }), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(fake.received).toHaveLength(0);
  });
});

test("the operator's check (providers:check vertex) makes one real call through the adapter", async () => {
  await expect(checkProvider("vertex", fake.env())).resolves.toMatch(/^Google Vertex AI \(Imagen\): ok — imagen-4-fast, image\/png, \d+ bytes in [\d.]+ s$/);
});

describe("Vertex AI: failures", () => {
  test("429 RESOURCE_EXHAUSTED is retried, then served", async () => {
    fake.script.push("quota");
    const { job } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "vertex" });
    expect(fake.predictRequests()).toHaveLength(2);
  });

  test("500 is retried (three calls), then the chain falls back", async () => {
    fake.script.push("server_error", "server_error", "server_error");
    const { job } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local", fallbackLayer: 1 });
    expect(fake.predictRequests()).toHaveLength(3);
  });

  test("a hang past the timeout is retried as transient, then falls back", async () => {
    fake.script.push("hang", "hang", "hang");
    const { job } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord" }, { providerTimeoutMs: 300 });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(fake.predictRequests()).toHaveLength(3);
  });

  test("a token refused before its expiry (401) is dropped: one more call with a fresh token", async () => {
    fake.script.push("unauthenticated");
    const env = fake.env({ keyFile: fake.newKeyFile() });
    const { job } = await runJobWith(env, { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "vertex" });
    expect(fake.tokenRequests()).toHaveLength(2);
    const [first, second] = fake.predictRequests();
    expect(second!.headers.authorization).not.toBe(first!.headers.authorization);
  });

  test("401 twice: the next provider serves", async () => {
    fake.script.push("unauthenticated", "unauthenticated");
    const { job } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(fake.predictRequests()).toHaveLength(2);
  });

  test.each([["forbidden"], ["billing_disabled"]] as const)("%s: no retry, the next provider serves", async (behaviour) => {
    fake.script.push(behaviour);
    const { job } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "succeeded", provider: "local" });
    expect(fake.predictRequests()).toHaveLength(1);
  });

  test("400 INVALID_ARGUMENT fails the job with invalid_request, charged nothing", async () => {
    fake.script.push("invalid");
    const { job, before, after } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord" });
    expect(job).toMatchObject({ status: "failed", errorCode: "invalid_request", provider: "vertex" });
    expect(after.balanceMicros).toBe(before.balanceMicros);
  });

  test.each([["rai_refusal"], ["empty"], [{ filtered: 2 }]] as const)("moderation (%j) fails the job with content_policy_violation, the hold released", async (behaviour) => {
    fake.script.push(behaviour);
    const { job, before, after } = await runJobWith(fake.env(), { model: "imagen-4-ultra", prompt: "something refused", n: 2 });
    expect(job).toMatchObject({ status: "failed", errorCode: "content_policy_violation", provider: "vertex" });
    expect(job.chargedMicros).toBe(0n);
    expect(after.balanceMicros).toBe(before.balanceMicros);
    expect(after.heldMicros).toBe(0n);
    expect(fake.predictRequests()).toHaveLength(1);
  });

  test("3 of 4 images delivered (one filtered): 3 are paid for", async () => {
    fake.script.push({ filtered: 1 });
    const { job, before, after } = await runJobWith(fake.env(), { model: "imagen-4", prompt: "a fjord", n: 4 });
    expect(job).toMatchObject({ status: "succeeded", provider: "vertex" });
    expect(job.estimatedMicros).toBe(usd("0.216"));
    expect(job.chargedMicros).toBe(usd("0.162"));
    expect(after.balanceMicros).toBe(before.balanceMicros - usd("0.162"));
  });
});

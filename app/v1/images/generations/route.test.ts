import { afterEach, describe, expect, test } from "vitest";
import { GET as getBalance } from "@/app/v1/balance/route";
import { POST as edit } from "@/app/v1/images/edits/route";
import { GET as listJobs } from "@/app/v1/jobs/route";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { POST as generate } from "./route";

const submit = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  call(generate, apiRequest("/v1/images/generations", { key, body, headers }));
const balanceOf = async (key: string) => (await call(getBalance, apiRequest("/v1/balance", { key }))).body;
const jobCount = async (key: string) => (await call(listJobs, apiRequest("/v1/jobs?limit=100", { key }))).body.data.length;

afterEach(() => assertLedgerInvariants());

describe("POST /v1/images/generations", () => {
  test("accepts a job: 202, Location, queued with its estimate, the estimate held", async () => {
    const { secret } = await createTestAccount({ creditUsd: "1" });
    const response = await submit(secret, { model: "recraft-v4", prompt: "a lighthouse at dusk", n: 4 });

    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toBe(`/v1/jobs/${response.body.id}`);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(response.body).toMatchObject({
      object: "image.job",
      status: "queued",
      model: "recraft-v4",
      prompt: "a lighthouse at dusk",
      params: { n: 4, size: "1:1", width: 1024, height: 1024 },
      estimated_cost: 0.216,
      charged_amount: null,
      images: [],
      error: null,
    });
    expect(await balanceOf(secret)).toMatchObject({ balance: 1, held: 0.216, available: 0.784 });
  });

  test("refuses with 402 insufficient_credits when available < estimate, creating nothing", async () => {
    const { secret } = await createTestAccount({ creditUsd: "0.2" });
    const response = await submit(secret, { prompt: "four of them", n: 4 }); // 0.216 > 0.2
    expect(response.status).toBe(402);
    expect(response.body.error).toMatchObject({ type: "billing_error", code: "insufficient_credits", required: 0.216, available: 0.2 });
    expect(await balanceOf(secret)).toMatchObject({ balance: 0.2, held: 0, available: 0.2 });
    expect(await jobCount(secret)).toBe(0);
  });

  test("a hold of exactly the available credit is accepted, and the next is refused", async () => {
    const { secret } = await createTestAccount({ creditUsd: "0.108" });
    expect((await submit(secret, { prompt: "one", n: 2 })).status).toBe(202);
    expect((await submit(secret, { prompt: "two" })).status).toBe(402);
    expect(await balanceOf(secret)).toMatchObject({ held: 0.108, available: 0 });
  });

  test("bad input gets a 400 in the error shape and changes nothing", async () => {
    const { secret } = await createTestAccount({ creditUsd: "1" });
    const bad = await submit(secret, { prompt: "", model: "recraft-v4" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: { type: "invalid_request_error", code: "prompt_required", message: expect.any(String), param: "prompt" },
    });
    const notJson = await call(generate, apiRequest("/v1/images/generations", { key: secret, rawBody: "{prompt:" }));
    expect(notJson.body.error.code).toBe("invalid_json");
    const empty = await call(generate, apiRequest("/v1/images/generations", { key: secret, rawBody: "" }));
    expect(empty.body.error.code).toBe("invalid_json");
    expect(await balanceOf(secret)).toMatchObject({ held: 0, available: 1 });
    expect(await jobCount(secret)).toBe(0);
  });

  test("a body over 1 MB is refused with 413, declared or streamed", async () => {
    const { secret } = await createTestAccount();
    const huge = JSON.stringify({ prompt: "x".repeat(1024 * 1024) });
    const declared = await call(generate, apiRequest("/v1/images/generations", { key: secret, rawBody: huge }));
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe("payload_too_large");

    const bytes = new TextEncoder().encode(huge);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.slice(i, i + 65_536));
        controller.close();
      },
    });
    const streamed = new Request("http://localhost:3000/v1/images/generations", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const response = await call(generate, streamed);
    expect(response.status).toBe(413);
    expect(await jobCount(secret)).toBe(0);
  });
});

describe("authentication", () => {
  test.each([
    ["no Authorization header", undefined],
    ["a malformed key", "esk_short"],
    ["a well-formed key nobody holds", "esk_00000000000000000000000000000000000000"],
  ])("%s → 401 invalid_api_key", async (_name, header) => {
    const headers: Record<string, string> = header ? { authorization: `Bearer ${header}` } : {};
    const response = await call(generate, apiRequest("/v1/images/generations", { body: { prompt: "p" }, headers }));
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
  });

  test("a revoked key fails on its very next request", async () => {
    const { secret, key, account } = await createTestAccount();
    expect((await submit(secret, { prompt: "before" })).status).toBe(202);
    expect(await revokeApiKey({ accountId: account.id, keyId: key.id })).toBe(true);
    const after = await submit(secret, { prompt: "after" });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked/);
  });
});

describe("idempotency", () => {
  test("the same key and body returns the original job: 200, Idempotent-Replayed, one hold", async () => {
    const { secret } = await createTestAccount({ creditUsd: "1" });
    const body = { prompt: "retry me", n: 2, idempotency_key: "checkout-flow-card-3" };
    const first = await submit(secret, body);
    const second = await submit(secret, body);
    expect(first.status).toBe(202);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.id).toBe(first.body.id);
    expect(await balanceOf(secret)).toMatchObject({ held: 0.108 });
    expect(await jobCount(secret)).toBe(1);
  });

  test("the Idempotency-Key header works like the body field", async () => {
    const { secret } = await createTestAccount();
    const first = await submit(secret, { prompt: "header" }, { "Idempotency-Key": "k-1" });
    const viaBody = await submit(secret, { prompt: "header", idempotency_key: "k-1" });
    expect(viaBody.status).toBe(200);
    expect(viaBody.body.id).toBe(first.body.id);
    const conflict = await submit(secret, { prompt: "header", idempotency_key: "k-2" }, { "Idempotency-Key": "k-1" });
    expect(conflict.status).toBe(400);
    expect(conflict.body.error.code).toBe("idempotency_key_mismatch");
  });

  test("the same key with a different body → 422 idempotency_key_reused", async () => {
    const { secret } = await createTestAccount();
    await submit(secret, { prompt: "first", idempotency_key: "k" });
    const reused = await submit(secret, { prompt: "second", idempotency_key: "k" });
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: "idempotency_key_reused", param: "idempotency_key" });
    expect(await jobCount(secret)).toBe(1);
  });

  test("keys are per account: another account may use the same key", async () => {
    const a = await createTestAccount();
    const b = await createTestAccount();
    const fromA = await submit(a.secret, { prompt: "shared", idempotency_key: "same" });
    const fromB = await submit(b.secret, { prompt: "shared", idempotency_key: "same" });
    expect(fromB.status).toBe(202);
    expect(fromB.body.id).not.toBe(fromA.body.id);
  });

  test("a key whose first use was refused for credit can be retried once funded", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "0.01" });
    expect((await submit(secret, { prompt: "p", idempotency_key: "later" })).status).toBe(402);
    const { grantCredit } = await import("@/lib/billing/credit");
    await grantCredit({ accountId: account.id, amountMicros: 1_000_000n, kind: "topup" });
    expect((await submit(secret, { prompt: "p", idempotency_key: "later" })).status).toBe(202);
  });
});

describe("POST /v1/images/edits", () => {
  test("requires an image and takes the same contract", async () => {
    const { secret } = await createTestAccount();
    const missing = await call(edit, apiRequest("/v1/images/edits", { key: secret, body: { prompt: "bluer" } }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("image_url_required");

    const accepted = await call(
      edit,
      apiRequest("/v1/images/edits", { key: secret, body: { prompt: "bluer", image_url: "https://images.example.com/a.png" } }),
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ kind: "edit", model: "flux-kontext-pro", estimated_cost: 0.054 });
    expect(accepted.body.params.image_urls).toEqual(["https://images.example.com/a.png"]);
  });
});

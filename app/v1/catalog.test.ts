// The public catalogue endpoints and the balance: /v1/models, /v1/pricing, /v1/pricing/estimate,
// /v1/limits/tiers, /v1/balance, and the JSON 404 for unknown paths.
import { describe, expect, test } from "vitest";
import { POST as notFoundPost, GET as notFound } from "@/app/v1/[...path]/route";
import { GET as getBalance } from "@/app/v1/balance/route";
import { GET as tiers } from "@/app/v1/limits/tiers/route";
import { GET as models } from "@/app/v1/models/route";
import { POST as estimate } from "@/app/v1/pricing/estimate/route";
import { GET as pricing } from "@/app/v1/pricing/route";
import { grantCredit } from "@/lib/billing/credit";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";

describe("GET /v1/models", () => {
  test("lists the 16 models with tier, capabilities, pricing and the legacy fields", async () => {
    const response = await call(models, apiRequest("/v1/models"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.body.data).toHaveLength(16);
    const flux = response.body.data.find((m: { id: string }) => m.id === "flux-2-pro");
    expect(flux).toMatchObject({
      object: "model",
      tier: "quality",
      capabilities: ["raster", "edit", "multi_reference"],
      inputs: "text+images",
      max_references: 10,
      high_fidelity_references: 6,
      custom_size: { min: 256, max: 2048, multiple_of: 1 },
      pricing: { mode: "per_megapixel", first_megapixel: 0.0405, extra_megapixel: 0.02025 },
      cost_tier: expect.any(String),
      quality_tier: expect.any(String),
      latency_tier: expect.any(String),
    });
    const legacy = response.body.data.filter((m: { legacy: boolean }) => m.legacy).map((m: { id: string }) => m.id);
    expect(legacy.sort()).toEqual(["flux-1.1-ultra", "recraft-v3"]);
  });

  test("filters by tier and capability", async () => {
    const ids = async (query: string) =>
      (await call(models, apiRequest(`/v1/models${query}`))).body.data.map((m: { id: string }) => m.id).sort();
    expect(await ids("?tier=cheap")).toEqual(["imagen-4-fast", "minimax-image-01"]);
    expect(await ids("?capability=vector")).toEqual(["recraft-v4-vector", "recraft-v4-vector-pro"]);
    expect(await ids("?tier=quality&capability=edit")).toEqual(["flux-2-pro", "gpt-image-2"]);
  });

  test.each(["?tier=premium", "?capability=video"])("%s → 400", async (query) => {
    const response = await call(models, apiRequest(`/v1/models${query}`));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_parameter");
  });
});

describe("GET /v1/pricing", () => {
  test("every model's list price, cacheable for 60 s", async () => {
    const response = await call(pricing, apiRequest("/v1/pricing"));
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.body.data).toHaveLength(16);
    const byModel = Object.fromEntries(response.body.data.map((p: { model: string }) => [p.model, p]));
    expect(byModel["recraft-v4"]).toMatchObject({ mode: "flat", unit_price: 0.054 });
    expect(byModel["gpt-image-2"]).toMatchObject({ mode: "per_quality", qualities: { low: 0.014, medium: 0.081, high: 0.297 } });
    expect(byModel["flux-2-pro"].examples.map((e: { price: number }) => e.price)).toEqual([0.0405, 0.06075, 0.10125]);
  });
});

describe("POST /v1/pricing/estimate", () => {
  test("prices a body without creating anything", async () => {
    const response = await call(estimate, apiRequest("/v1/pricing/estimate", { body: { model: "recraft-v4", prompt: "p", n: 4 } }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ object: "pricing.estimate", model: "recraft-v4", n: 4, unit_price: 0.054, estimated_cost: 0.216 });
    const gpt = await call(
      estimate,
      apiRequest("/v1/pricing/estimate", { body: { model: "gpt-image-2", prompt: "p", quality: "low", size: "2048x2048" } }),
    );
    expect(gpt.body).toMatchObject({ quality: "low", estimated_cost: 0.056 });
  });

  test("validates like a submit", async () => {
    const response = await call(estimate, apiRequest("/v1/pricing/estimate", { body: { model: "recraft-v4", prompt: "p", n: 9 } }));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("n_out_of_range");
  });
});

describe("GET /v1/limits/tiers", () => {
  test("the five tiers of docs/product-rules.md, cacheable for 300 s", async () => {
    const response = await call(tiers, apiRequest("/v1/limits/tiers"));
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.body.data.map((t: Record<string, number>) => Object.values(t))).toEqual([
      [0, 0, 30, 300, 5],
      [1, 5, 60, 600, 10],
      [2, 50, 120, 1200, 20],
      [3, 250, 200, 2000, 40],
      [4, 1000, 300, 3000, 100],
    ]);
  });
});

describe("GET /v1/balance", () => {
  test("shows balance, held, available, deposits and the tier, which follows deposits", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "1" });
    const before = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(before.body).toEqual({
      object: "balance",
      account_id: account.id,
      currency: "usd",
      balance: 1,
      held: 0,
      available: 1,
      lifetime_deposits: 0,
      tier: 0,
      tier_source: "deposits",
      tier_override_until: null,
      next_tier: { tier: 1, lifetime_deposits: 5, remaining: 5 },
      low_balance_threshold: null,
    });
    await grantCredit({ accountId: account.id, amountMicros: 50_000_000n, kind: "topup", paymentRef: `test_${account.id}` });
    const after = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(after.body).toMatchObject({ balance: 51, lifetime_deposits: 50, tier: 2, next_tier: { tier: 3, remaining: 200 } });
  });

  test("needs a key", async () => {
    expect((await call(getBalance, apiRequest("/v1/balance"))).status).toBe(401);
  });
});

test("unknown /v1 paths answer a JSON 404", async () => {
  const get = await call(notFound, apiRequest("/v1/nothing/here"), { path: ["nothing", "here"] });
  expect(get.status).toBe(404);
  expect(get.body.error).toMatchObject({ type: "not_found_error", code: "route_not_found" });
  const post = await call(notFoundPost, apiRequest("/v1/images/variations", { body: {} }), { path: ["images", "variations"] });
  expect(post.status).toBe(404);
});

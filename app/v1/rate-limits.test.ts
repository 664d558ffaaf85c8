// Tiers and rate limits (docs/product-rules.md, "Limits"). The suite runs with limits off; this file turns them on.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as getBalance } from "@/app/v1/balance/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { POST as cancel } from "@/app/v1/jobs/[id]/cancel/route";
import { GET as models } from "@/app/v1/models/route";
import { grantCredit } from "@/lib/billing/credit";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { PEER_HEADER } from "@/lib/http/client-address";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";

beforeAll(() => {
  process.env.EASEL_RATE_LIMITS = "on";
});
afterAll(async () => {
  process.env.EASEL_RATE_LIMITS = "off";
  await assertLedgerInvariants();
});

const submit = (key: string, prompt = "limit me") => call(generate, apiRequest("/v1/images/generations", { key, body: { model: "minimax-image-01", prompt } }));

/** Submits and cancels at once, so that only the per-minute limit is in play, not jobs in flight. */
async function submitAndCancel(key: string) {
  const response = await submit(key);
  if (response.status === 202) await call(cancel, apiRequest(`/v1/jobs/${response.body.id}/cancel`, { key, method: "POST" }), { id: response.body.id });
  return response;
}

describe("job creations per minute", () => {
  test("tier 0: the 31st creation within a minute → 429 rate_limited, with the headers", async () => {
    const { secret } = await createTestAccount({ creditUsd: "5" });
    for (let i = 1; i <= 30; i++) {
      const response = await submitAndCancel(secret);
      expect(response.status).toBe(202);
      expect(response.headers.get("x-ratelimit-limit")).toBe("30");
      expect(response.headers.get("x-ratelimit-remaining")).toBe(String(30 - i));
    }
    const refused = await submit(secret);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limited" });
    expect(refused.body.error.message).toMatch(/Tier 0 allows 30 job creations a minute/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("x-ratelimit-limit")).toBe("30");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(refused.headers.get("x-ratelimit-reset"))).toBeLessThanOrEqual(60);
  });

  test("a deposit that reaches the next tier raises the limit at once", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "5" });
    for (let i = 0; i < 30; i++) await submitAndCancel(secret);
    expect((await submit(secret)).status).toBe(429);

    await grantCredit({ accountId: account.id, amountMicros: 5_000_000n, kind: "topup", paymentRef: `test_${account.id}` });
    const raised = await submitAndCancel(secret);
    expect(raised.status).toBe(202);
    expect(raised.headers.get("x-ratelimit-limit")).toBe("60");
  });

  test("reads have their own, larger allowance, and every response says where it stands", async () => {
    const { secret } = await createTestAccount();
    const first = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    const second = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(first.headers.get("x-ratelimit-limit")).toBe("300");
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(Number(first.headers.get("x-ratelimit-remaining")) - 1);
    const catalogue = await call(models, apiRequest("/v1/models", { headers: { [PEER_HEADER]: "203.0.113.7" } }));
    expect(catalogue.headers.get("x-ratelimit-limit")).toBe("600");
  });
});

describe("jobs in flight", () => {
  test("tier 0 runs 5 at once: the 6th → 429 concurrency_limited until one ends", async () => {
    const { secret } = await createTestAccount({ creditUsd: "1" });
    const running = [];
    for (let i = 0; i < 5; i++) running.push((await submit(secret, `running ${i}`)).body.id);
    const sixth = await submit(secret, "one too many");
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe("concurrency_limited");
    expect(sixth.headers.get("retry-after")).toBe("5");

    await call(cancel, apiRequest(`/v1/jobs/${running[0]}/cancel`, { key: secret, method: "POST" }), { id: running[0] });
    expect((await submit(secret, "room again")).status).toBe(202);
  });

  test("the cap holds when submits race: 20 at once → 5 accepted", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "1" });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(secret, `race ${i}`)));
    const accepted = responses.filter((r) => r.status === 202);
    const limited = responses.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(5);
    expect(limited.length + accepted.length).toBe(20); // (some may be rate_limited once the minute's 30 are spent)
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a shortfall is still 402 with a link to top up, not a concurrency error", async () => {
    const { secret } = await createTestAccount({ creditUsd: "0.001" });
    const response = await submit(secret);
    expect(response.status).toBe(402);
    expect(response.body.error).toMatchObject({ code: "insufficient_credits", topup_url: "http://localhost:3000/billing" });
  });
});

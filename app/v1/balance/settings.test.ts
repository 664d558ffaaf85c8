// The balance's settings through the route: the low-balance threshold (PATCH /v1/balance), and a
// tier set by support, which the balance shows and the limits follow.
import { afterEach, describe, expect, test, vi } from "vitest";
import { GET as getBalance, PATCH as updateBalance } from "@/app/v1/balance/route";
import { setTierOverride } from "@/lib/billing/tier-override";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("PATCH /v1/balance", () => {
  test("sets and clears the low-balance threshold; bad values are 400s", async () => {
    const { secret } = await createTestAccount();
    const set = await call(updateBalance, apiRequest("/v1/balance", { key: secret, method: "PATCH", body: { low_balance_threshold: 2.5 } }));
    expect(set.status).toBe(200);
    expect(set.body.low_balance_threshold).toBe(2.5);
    for (const body of [{ low_balance_threshold: -1 }, { low_balance_threshold: "5" }, { low_balance_threshold: 0.0000001 }]) {
      const refused = await call(updateBalance, apiRequest("/v1/balance", { key: secret, method: "PATCH", body }));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "invalid_parameter", param: "low_balance_threshold" });
    }
    const cleared = await call(updateBalance, apiRequest("/v1/balance", { key: secret, method: "PATCH", body: { low_balance_threshold: null } }));
    expect(cleared.body.low_balance_threshold).toBeNull();
  });
});

describe("a tier set by support", () => {
  test("is the tier the balance shows and the rate limits follow, until it ends", async () => {
    vi.stubEnv("EASEL_RATE_LIMITS", "on");
    const { account, secret } = await createTestAccount();
    const before = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(before.body).toMatchObject({ tier: 0, tier_source: "deposits" });
    expect(before.headers.get("x-ratelimit-limit")).toBe("300");

    const until = new Date(Date.now() + 3_600_000);
    await setTierOverride({ accountId: account.id, tier: 4, until });
    const after = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(after.body).toMatchObject({ tier: 4, tier_source: "support", tier_override_until: until.toISOString(), next_tier: null });
    expect(after.headers.get("x-ratelimit-limit")).toBe("3000");

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(until.getTime() + 1000);
    const ended = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(ended.body).toMatchObject({ tier: 0, tier_source: "deposits", tier_override_until: null });
    expect(ended.headers.get("x-ratelimit-limit")).toBe("300");
  });
});

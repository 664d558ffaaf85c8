import { afterEach, describe, expect, test, vi } from "vitest";
import { createTestAccount } from "@/lib/testing/fixtures";
import { getBalance } from "./balance";
import { assertLedgerInvariants } from "./invariants";
import { listLedgerEntries } from "./statement";
import { addTestCredit } from "./test-credit";

afterEach(() => vi.unstubAllEnvs());

describe("test credit", () => {
  test("without Stripe, outside production: an adjustment with a test_ reference that never raises the tier", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await addTestCredit({ accountId: account.id, amountMicros: 100_000_000n });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toEqual([]);
    const entries = await listLedgerEntries({ accountId: account.id, type: "adjustment" });
    const entry = entries.find((e) => e.description === "Test credit (no payment)");
    expect(entry).toMatchObject({ amountMicros: 100_000_000n });
    expect(entry!.paymentRef).toMatch(/^test_[0-9a-z]{26}$/);
    const balance = (await getBalance({ accountId: account.id }))!;
    // $100 of deposits would be tier 2; test credit is not a deposit.
    expect(balance).toMatchObject({ balanceMicros: 101_000_000n, lifetimeDepositsMicros: 0n });
    expect(balance.tier.tier).toBe(0);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("capped per day: $1,000 at a time is no longer a way to unlimited credit", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 1_000_000_000n })).rejects.toMatchObject({
      name: "AccessDenied",
      code: "test_credit_limit",
    });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 200_000_000n })).rejects.toMatchObject({
      message: expect.stringMatching(/\$100\.00 a day/),
    });
    await addTestCredit({ accountId: account.id, amountMicros: 60_000_000n });
    await addTestCredit({ accountId: account.id, amountMicros: 40_000_000n });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 5_000_000n })).rejects.toMatchObject({ code: "test_credit_limit" });
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(101_000_000n);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("capped in total per account, also when requests race", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    vi.stubEnv("EASEL_TEST_CREDIT_DAILY_USD", "100000");
    vi.stubEnv("EASEL_TEST_CREDIT_TOTAL_USD", "50");
    const { account } = await createTestAccount({ creditUsd: "1" });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => addTestCredit({ accountId: account.id, amountMicros: 10_000_000n })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(51_000_000n);
    await expect(addTestCredit({ accountId: account.id, amountMicros: 5_000_000n })).rejects.toMatchObject({
      message: expect.stringMatching(/\$50\.00 per account/),
    });
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("refused in production unless EASEL_ALLOW_TEST_CREDIT=1", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    vi.stubEnv("NODE_ENV", "production");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 5_000_000n })).rejects.toMatchObject({
      name: "AccessDenied",
      code: "test_credit_disabled",
      message: expect.stringMatching(/EASEL_ALLOW_TEST_CREDIT=1/),
    });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toEqual([]);

    vi.stubEnv("EASEL_ALLOW_TEST_CREDIT", "1");
    await addTestCredit({ accountId: account.id, amountMicros: 5_000_000n });
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(6_000_000n);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("refused while Stripe is configured, even where it would otherwise be allowed", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_configured");
    vi.stubEnv("EASEL_ALLOW_TEST_CREDIT", "1");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 5_000_000n })).rejects.toMatchObject({
      name: "AccessDenied",
      message: expect.stringMatching(/card payments are set up/),
    });
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(1_000_000n);
  });

  test("holds to the $5–$1,000 bounds", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 4_990_000n })).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_amount" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 1_000_010_000n })).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_amount" });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toEqual([]);
  });
});

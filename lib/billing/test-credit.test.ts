import { afterEach, describe, expect, test, vi } from "vitest";
import { createTestAccount } from "@/lib/testing/fixtures";
import { getBalance } from "./balance";
import { assertLedgerInvariants } from "./invariants";
import { listLedgerEntries } from "./statement";
import { addTestCredit } from "./test-credit";

afterEach(() => vi.unstubAllEnvs());

describe("test credit", () => {
  test("without Stripe, outside production: a topup with a test_ reference that counts toward the tier", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await addTestCredit({ accountId: account.id, amountMicros: 5_000_000n });
    const [entry, ...others] = await listLedgerEntries({ accountId: account.id, type: "topup" });
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ amountMicros: 5_000_000n, description: "Test credit (no payment)" });
    expect(entry!.paymentRef).toMatch(/^test_[0-9a-z]{26}$/);
    const balance = (await getBalance({ accountId: account.id }))!;
    expect(balance).toMatchObject({ balanceMicros: 6_000_000n, lifetimeDepositsMicros: 5_000_000n });
    expect(balance.tier.tier).toBe(1);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("refused in production unless EASEL_ALLOW_TEST_CREDIT=1", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    vi.stubEnv("NODE_ENV", "production");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 5_000_000n })).rejects.toMatchObject({
      status: 403,
      code: "test_credit_disabled",
      message: expect.stringMatching(/EASEL_ALLOW_TEST_CREDIT=1/),
    });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toEqual([]);

    vi.stubEnv("EASEL_ALLOW_TEST_CREDIT", "1");
    await addTestCredit({ accountId: account.id, amountMicros: 5_000_000n });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toHaveLength(1);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("refused while Stripe is configured, even where it would otherwise be allowed", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_configured");
    vi.stubEnv("EASEL_ALLOW_TEST_CREDIT", "1");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 5_000_000n })).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/card payments are set up/),
    });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toEqual([]);
  });

  test("holds to the $5–$1,000 bounds", async () => {
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const { account } = await createTestAccount({ creditUsd: "1" });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 4_990_000n })).rejects.toMatchObject({ status: 400 });
    await expect(addTestCredit({ accountId: account.id, amountMicros: 1_000_010_000n })).rejects.toMatchObject({ status: 400 });
    expect(await listLedgerEntries({ accountId: account.id, type: "topup" })).toEqual([]);
  });
});

import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { listLedgerEntries } from "@/lib/billing/statement";
import { RateLimited } from "@/lib/errors";
import { signUp, signupCreditMicros, signupLimit } from "./signup";

afterEach(() => assertLedgerInvariants());

const email = () => `signup-${randomUUID()}@example.test`;
const address = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;

describe("signing up", () => {
  test("gives the new account SIGNUP_CREDIT_USD as a ledger adjustment", async () => {
    const { account } = await signUp({ email: email(), password: "long enough", clientAddress: address() });
    expect(signupCreditMicros()).toBe(1_000_000n);
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(1_000_000n);
    const entries = await listLedgerEntries({ accountId: account.id });
    expect(entries.map((e) => [e.type, e.amountMicros, e.description])).toEqual([["adjustment", 1_000_000n, "Signup credit"]]);
  });

  test("the credit follows SIGNUP_CREDIT_USD", async () => {
    process.env.SIGNUP_CREDIT_USD = "2.50";
    try {
      const { account } = await signUp({ email: email(), password: "long enough", clientAddress: address() });
      expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(2_500_000n);
    } finally {
      delete process.env.SIGNUP_CREDIT_USD;
    }
  });

  test(`is throttled per client address: the ${signupLimit().points + 1}th account from one address is refused`, async () => {
    const from = address();
    expect(signupLimit().points).toBe(5);
    for (let i = 0; i < signupLimit().points; i++) {
      await signUp({ email: email(), password: "long enough", clientAddress: from });
    }
    const refused = await signUp({ email: email(), password: "long enough", clientAddress: from }).catch((e) => e);
    expect(refused).toBeInstanceOf(RateLimited);
    expect(refused).toMatchObject({ code: "rate_limited" });
    expect((refused as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
    // Another address is unaffected.
    await expect(signUp({ email: email(), password: "long enough", clientAddress: address() })).resolves.toBeTruthy();
  });

  test("a weak password or a taken email is refused without spending the allowance", async () => {
    const from = address();
    const taken = email();
    await signUp({ email: taken, password: "long enough", clientAddress: from });
    await expect(signUp({ email: email(), password: "short", clientAddress: from })).rejects.toMatchObject({ code: "weak_password" });
    await expect(signUp({ email: "not-an-email", password: "long enough", clientAddress: from })).rejects.toMatchObject({ code: "invalid_email" });
    await expect(signUp({ email: taken.toUpperCase(), password: "long enough", clientAddress: from })).rejects.toMatchObject({ code: "email_taken" });
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, test, vi } from "vitest";
import { getDb } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { withFakeStripe } from "@/lib/testing/with-fake-stripe";
import { createTestAccount } from "@/lib/testing/fixtures";
import { createTopUpCheckout } from "./checkout";

const stripe = withFakeStripe();

const ORIGIN = "https://easel.example";
const customerOf = async (accountId: string) => {
  const [row] = await (await getDb()).select({ id: creditAccounts.stripeCustomerId }).from(creditAccounts).where(eq(creditAccounts.id, accountId));
  return row?.id ?? null;
};
const sessionRequestsFor = (accountId: string) =>
  stripe().requestsTo("POST", "/v1/checkout/sessions").filter((r) => r.params.client_reference_id === accountId);

describe("a top-up checkout", () => {
  test("is a one-off USD Checkout Session naming the account, saving the card for auto top-ups", async () => {
    const { account, user } = await createTestAccount();
    const checkout = await createTopUpCheckout({ accountId: account.id, amountMicros: 25_000_000n, origin: `${ORIGIN}/billing` });

    expect(checkout.id).toMatch(/^cs_test_/);
    expect(checkout.url).toBe(`${stripe().url}/c/pay/${checkout.id}`);
    const [request, ...more] = sessionRequestsFor(account.id);
    expect(more).toEqual([]);
    expect(request!.authorization).toMatch(/^Bearer sk_test_/);
    const customer = await customerOf(account.id);
    expect(customer).toMatch(/^cus_/);
    expect(request!.params).toMatchObject({
      mode: "payment",
      customer,
      client_reference_id: account.id,
      "metadata[account_id]": account.id,
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][unit_amount]": "2500",
      "payment_intent_data[setup_future_usage]": "off_session",
      success_url: `${ORIGIN}/billing/topup/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${ORIGIN}/billing/topup/canceled`,
    });
    // The customer Stripe knows is this account's, with the user's email for receipts.
    const created = stripe().customers.get(customer!);
    expect(created).toMatchObject({ email: user.email, metadata: { account_id: account.id } });
    expect(stripe().sessions.get(checkout.id)).toMatchObject({ amount_total: 2500, currency: "usd", client_reference_id: account.id });
  });

  test("reuses the account's customer; two first checkouts at once make one", async () => {
    const { account } = await createTestAccount();
    const before = stripe().requestsTo("POST", "/v1/customers").length;
    await Promise.all([1, 2, 3].map(() => createTopUpCheckout({ accountId: account.id, amountMicros: 5_000_000n, origin: ORIGIN })));
    await createTopUpCheckout({ accountId: account.id, amountMicros: 10_000_000n, origin: ORIGIN });

    const customer = await customerOf(account.id);
    const sessions = sessionRequestsFor(account.id);
    expect(sessions).toHaveLength(4);
    expect(new Set(sessions.map((s) => s.params.customer))).toEqual(new Set([customer]));
    const creates = stripe().requestsTo("POST", "/v1/customers").slice(before);
    expect(creates.length).toBeLessThanOrEqual(3); // the racers; the fourth checkout made none
    expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(new Set([`easel-customer-${account.id}`]));
    expect([...stripe().customers.values()].filter((c) => (c.metadata as Record<string, string>).account_id === account.id)).toHaveLength(1);
  });

  test.each([
    ["$4.99", 4_990_000n],
    ["$1,000.01", 1_000_010_000n],
    ["a fraction of a cent", 5_000_001n],
    ["nothing", 0n],
  ])("refuses %s as invalid input and asks Stripe nothing", async (_, amountMicros) => {
    const { account } = await createTestAccount();
    const before = stripe().requests.length;
    await expect(createTopUpCheckout({ accountId: account.id, amountMicros, origin: ORIGIN })).rejects.toMatchObject({
      name: "InvalidInput",
      code: "invalid_amount",
      message: expect.stringMatching(/between \$5 and \$1,000|whole cents/),
    });
    expect(stripe().requests.length).toBe(before);
  });

  test.each([
    ["$5", 5_000_000n, "500"],
    ["$1,000", 1_000_000_000n, "100000"],
  ])("accepts the bound %s", async (_, amountMicros, cents) => {
    const { account } = await createTestAccount();
    await createTopUpCheckout({ accountId: account.id, amountMicros, origin: ORIGIN });
    expect(sessionRequestsFor(account.id)[0]!.params["line_items[0][price_data][unit_amount]"]).toBe(cents);
  });

  test("without STRIPE_SECRET_KEY → not configured, no request anywhere", async () => {
    const { account } = await createTestAccount();
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const before = stripe().requests.length;
    await expect(createTopUpCheckout({ accountId: account.id, amountMicros: 5_000_000n, origin: ORIGIN })).rejects.toMatchObject({
      name: "NotConfigured",
      code: "payments_not_configured",
    });
    expect(stripe().requests.length).toBe(before);
  });
});

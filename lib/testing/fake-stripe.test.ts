// The fake must behave as Stripe does where Easel's code depends on it, or the billing tests
// prove nothing: these pin the protocol, checked through the real SDK and raw HTTP.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DECLINING_PAYMENT_METHOD, FAKE_SECRET_KEY, startFakeStripe, type FakeStripe } from "./fake-stripe";
import { decodeForm } from "./form-encoding";

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = new Stripe(FAKE_SECRET_KEY, { host: "127.0.0.1", port: fake.port, protocol: "http", maxNetworkRetries: 0 });
});
afterAll(() => fake.close());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${FAKE_SECRET_KEY}`, "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });

describe("the fake Stripe server", () => {
  test("decodes Stripe's nested form keys into objects and arrays", () => {
    const body = "mode=payment&metadata[account_id]=acct_1&line_items[0][price_data][unit_amount]=500&line_items[0][quantity]=1&line_items[1][quantity]=2";
    expect(decodeForm(body)).toEqual({
      mode: "payment",
      metadata: { account_id: "acct_1" },
      line_items: [{ price_data: { unit_amount: "500" }, quantity: "1" }, { quantity: "2" }],
    });
  });

  test("refuses a request without a secret key, in Stripe's error shape", async () => {
    const response = await fetch(`${fake.url}/v1/customers`, { method: "POST", body: "email=a%40b.c" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const publishable = await post("/v1/customers", "", { authorization: "Bearer pk_test_123" });
    expect(publishable.status).toBe(401);
  });

  test("replays the first answer to an Idempotency-Key, and refuses the key with other parameters", async () => {
    const first = await post("/v1/customers", "email=one%40example.test", { "idempotency-key": "key-1" });
    const again = await post("/v1/customers", "email=one%40example.test", { "idempotency-key": "key-1" });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json()).id).toBe((await first.json()).id);
    const other = await post("/v1/customers", "email=two%40example.test", { "idempotency-key": "key-1" });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { type: "idempotency_error" } });
  });

  test("answers the SDK with Stripe's objects and typed errors", async () => {
    const customer = await stripe.customers.create({ email: "sdk@example.test" });
    expect(customer).toMatchObject({ object: "customer", email: "sdk@example.test" });
    expect(customer.id).toMatch(/^cus_/);

    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
      off_session: true,
    });
    expect(intent).toMatchObject({ object: "payment_intent", status: "succeeded", amount_received: 1000 });
    expect((await stripe.paymentIntents.retrieve(intent.id)).id).toBe(intent.id);

    const declined = stripe.paymentIntents.create({ amount: 1000, currency: "usd", payment_method: DECLINING_PAYMENT_METHOD, confirm: true });
    await expect(declined).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    await expect(declined).rejects.toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });

    await expect(stripe.paymentIntents.create({ amount: 1000 } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "currency",
    });
    await expect(stripe.paymentIntents.retrieve("pi_missing")).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
    const lineItems = [{ quantity: 1, price_data: { currency: "usd", unit_amount: 500, product_data: { name: "x" } } }];
    await expect(stripe.checkout.sessions.create({ mode: "payment", customer: "cus_nobody", line_items: lineItems })).rejects.toMatchObject({
      statusCode: 404,
      param: "customer",
    });
  });
});

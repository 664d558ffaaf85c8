// The Stripe webhook, called as Next.js calls it, with events signed as Stripe signs them. The
// races (ten deliveries at once; a session's two events at once) only mean something on
// Postgres: run with DATABASE_URL set too.
import pino from "pino";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { listStripeEvents } from "@/lib/billing/stripe/event-log";
import { listLedgerEntries } from "@/lib/billing/statement";
import { logger } from "@/lib/http/logger";
import { call, createTestAccount } from "@/lib/testing/fixtures";
import { checkoutSession, stripeEvent, TEST_WEBHOOK_SECRET, webhookRequest, type TestEvent } from "@/lib/testing/stripe-webhooks";
import { POST } from "./route";

const deliver = (event: TestEvent, options?: Parameters<typeof webhookRequest>[1]) => call(POST, webhookRequest(event, options));

beforeEach(() => {
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET);
  vi.stubEnv("STRIPE_SECRET_KEY", ""); // no Stripe API here; the auto top-up tests use the fake
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A $1 account (signup credit: an adjustment, so no deposits) and what to look at afterwards. */
async function account() {
  const { account } = await createTestAccount({ creditUsd: "1" });
  return {
    id: account.id,
    topups: () => listLedgerEntries({ accountId: account.id, type: "topup" }),
    balance: async () => (await getBalance({ accountId: account.id }))!,
    events: () => listStripeEvents({ accountId: account.id }),
    check: () => assertLedgerInvariants({ accountId: account.id }),
  };
}

/** Log lines written while `fn` runs, through a real pino logger (the suite's is silent). */
async function capturingLogs(fn: () => Promise<void>): Promise<Array<{ level: number; msg: string } & Record<string, unknown>>> {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const capture = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  vi.spyOn(logger, "child").mockImplementation((bindings) => capture.child(bindings));
  await fn();
  return lines;
}

describe("verification", () => {
  test("a forged or missing signature → 400, and nothing is credited or recorded", async () => {
    const acct = await account();
    const event = stripeEvent("checkout.session.completed", checkoutSession({ accountId: acct.id, amountCents: 2500 }));

    const forged = await deliver(event, { secret: "whsec_someone_else" });
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatchObject({ code: "invalid_signature", type: "invalid_request_error" });

    // Signed right, then the amount changed on the way.
    const signed = webhookRequest(event);
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify({ ...event, data: { object: { ...event.data.object, amount_total: 99_999 } } }),
    });
    expect((await call(POST, tampered)).status).toBe(400);

    const unsigned = await deliver(event, { signature: null });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.code).toBe("missing_signature");

    expect(await acct.topups()).toEqual([]);
    expect(await listStripeEvents({ eventId: event.id })).toEqual([]);
    expect((await acct.balance()).balanceMicros).toBe(1_000_000n);
    await acct.check();
  });

  test("without STRIPE_WEBHOOK_SECRET → 503 with a clear message, nothing processed", async () => {
    const acct = await account();
    const event = stripeEvent("checkout.session.completed", checkoutSession({ accountId: acct.id, amountCents: 2500 }));
    vi.stubEnv("STRIPE_WEBHOOK_SECRET", "");
    const answer = await deliver(event);
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toMatch(/STRIPE_WEBHOOK_SECRET/);
    expect(await acct.topups()).toEqual([]);
  });

  test("an event type not on the allowlist → 200, ignored, nothing changes", async () => {
    const acct = await account();
    const event = stripeEvent("customer.created", { id: "cus_test_1", object: "customer", metadata: { account_id: acct.id } });
    const answer = await deliver(event);
    expect(answer).toMatchObject({ status: 200, body: { received: true, ignored: true } });
    expect(await listStripeEvents({ eventId: event.id })).toEqual([]);
    expect(await acct.topups()).toEqual([]);
    expect((await acct.balance()).balanceMicros).toBe(1_000_000n);
    await acct.check();
  });
});

describe("checkout.session.completed", () => {
  test("a paid session credits amount_total as a top-up and raises the tier once deposits reach $5", async () => {
    const acct = await account();
    expect((await acct.balance()).tier.tier).toBe(0);
    const session = checkoutSession({ accountId: acct.id, amountCents: 500 });
    const answer = await deliver(stripeEvent("checkout.session.completed", session));
    expect(answer).toMatchObject({ status: 200, body: { received: true } });

    const [entry, ...others] = await acct.topups();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ amountMicros: 5_000_000n, paymentRef: session.id, balanceAfterMicros: 6_000_000n });
    const balance = await acct.balance();
    expect(balance).toMatchObject({ balanceMicros: 6_000_000n, lifetimeDepositsMicros: 5_000_000n });
    expect(balance.tier.tier).toBe(1);
    expect((await acct.events()).map((e) => e.type)).toEqual(["checkout.session.completed"]);
    await acct.check();
  });

  test("the same event delivered 10 times at once → credited once, recorded once", async () => {
    const acct = await account();
    const event = stripeEvent("checkout.session.completed", checkoutSession({ accountId: acct.id, amountCents: 2500 }));
    let answers: Array<Awaited<ReturnType<typeof deliver>>> = [];
    const lines = await capturingLogs(async () => {
      answers = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    });
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    // Processed once: the nine redeliveries stopped at the event's record, before any work.
    expect(lines.filter((line) => line.msg === "checkout session settled")).toHaveLength(1);

    expect(await acct.topups()).toHaveLength(1);
    expect(await listStripeEvents({ eventId: event.id })).toHaveLength(1);
    expect(await acct.balance()).toMatchObject({ balanceMicros: 26_000_000n, lifetimeDepositsMicros: 25_000_000n });
    await acct.check();
  });

  test("completed and then async_payment_succeeded for one session → credited once, both recorded", async () => {
    const acct = await account();
    const session = checkoutSession({ accountId: acct.id, amountCents: 2500 });
    expect((await deliver(stripeEvent("checkout.session.completed", session))).status).toBe(200);
    expect((await deliver(stripeEvent("checkout.session.async_payment_succeeded", session))).status).toBe(200);

    expect(await acct.topups()).toHaveLength(1);
    expect(await acct.events()).toHaveLength(2);
    expect(await acct.balance()).toMatchObject({ balanceMicros: 26_000_000n, lifetimeDepositsMicros: 25_000_000n });
    await acct.check();
  });

  test("a session's two events racing → credited once, and both events still recorded", async () => {
    const acct = await account();
    for (let round = 0; round < 5; round++) {
      const session = checkoutSession({ accountId: acct.id, amountCents: 1000 });
      const answers = await Promise.all([
        deliver(stripeEvent("checkout.session.completed", session)),
        deliver(stripeEvent("checkout.session.async_payment_succeeded", session)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
    }
    expect(await acct.topups()).toHaveLength(5);
    expect(await acct.events()).toHaveLength(10);
    expect((await acct.balance()).lifetimeDepositsMicros).toBe(50_000_000n);
    await acct.check();
  });

  test("an unpaid completed session credits nothing until async_payment_succeeded", async () => {
    const acct = await account();
    const session = checkoutSession({ accountId: acct.id, amountCents: 2500, paymentStatus: "unpaid" });
    expect((await deliver(stripeEvent("checkout.session.completed", session))).status).toBe(200);
    expect(await acct.topups()).toEqual([]);
    expect((await acct.balance()).lifetimeDepositsMicros).toBe(0n);

    const failedLater = { ...session, id: `${session.id}_other` };
    expect((await deliver(stripeEvent("checkout.session.async_payment_failed", failedLater))).status).toBe(200);
    expect(await acct.topups()).toEqual([]);

    const paid = { ...session, payment_status: "paid" };
    expect((await deliver(stripeEvent("checkout.session.async_payment_succeeded", paid))).status).toBe(200);
    const topups = await acct.topups();
    expect(topups.map((e) => [e.amountMicros, e.paymentRef])).toEqual([[25_000_000n, session.id]]);
    expect(await acct.events()).toHaveLength(3);
    await acct.check();
  });

  test("a session naming no account → 200, logged, nothing credited", async () => {
    const stranger = await account();
    const session = checkoutSession({ accountId: "acct_does_not_exist", amountCents: 2500 });
    const event = stripeEvent("checkout.session.completed", session);
    let answer: Awaited<ReturnType<typeof deliver>> | undefined;
    const lines = await capturingLogs(async () => {
      answer = await deliver(event);
    });
    expect(answer).toMatchObject({ status: 200, body: { received: true } });
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/names no account/), stripe_event: event.id }));
    const [recorded] = await listStripeEvents({ eventId: event.id });
    expect(recorded).toMatchObject({ type: "checkout.session.completed", accountId: null });
    expect(await stranger.topups()).toEqual([]);
    await assertLedgerInvariants({ accountId: stranger.id });
  });

  test("a session in another currency is not credited as dollars", async () => {
    const acct = await account();
    const session = checkoutSession({ accountId: acct.id, amountCents: 2500, currency: "eur" });
    expect((await deliver(stripeEvent("checkout.session.completed", session))).status).toBe(200);
    expect(await acct.topups()).toEqual([]);
    await acct.check();
  });

  test("an object of a shape we do not know → 400 (never a 500) and nothing recorded, so Stripe redelivers", async () => {
    const acct = await account();
    const event = stripeEvent("checkout.session.completed", { ...checkoutSession({ accountId: acct.id, amountCents: 2500 }), amount_total: "2500" });
    const answer = await deliver(event);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: "invalid_request_error", code: "unexpected_event_shape" });
    expect(await listStripeEvents({ eventId: event.id })).toEqual([]);
    expect(await acct.topups()).toEqual([]);
  });

  test.each([
    ["client_reference_id", { client_reference_id: "acct_a\u0000b" }],
    ["the session's id", { id: "cs_test_\u0000" }],
    ["a metadata value", { client_reference_id: null, metadata: { account_id: "\u0000" } }],
  ])("a NUL character in %s, which Postgres cannot hold → 400 unexpected_event_shape, nothing recorded", async (_field, fields) => {
    const acct = await account();
    const event = stripeEvent("checkout.session.completed", { ...checkoutSession({ accountId: acct.id, amountCents: 2500 }), ...fields });
    const answer = await deliver(event);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("unexpected_event_shape");
    expect(await listStripeEvents({ eventId: event.id })).toEqual([]);
    expect(await acct.topups()).toEqual([]);
  });

  test("an event id with a NUL character → 400 invalid_event, nothing credited", async () => {
    const acct = await account();
    const answer = await deliver(stripeEvent("checkout.session.completed", checkoutSession({ accountId: acct.id, amountCents: 2500 }), { id: "evt_test_\u0000" }));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_event");
    expect(await acct.topups()).toEqual([]);
  });

  test.each([
    ["the JSON null", null],
    ["no data", { id: "evt_x", object: "event", type: "checkout.session.completed" }],
    ["data without an object", { id: "evt_y", object: "event", type: "checkout.session.completed", data: {} }],
    ["a null object", { id: "evt_z", object: "event", type: "payment_intent.succeeded", data: { object: null } }],
    ["a number for an id", { id: 7, object: "event", type: "payment_intent.succeeded", data: { object: {} } }],
  ])("a signed body that is not an event (%s) → 400", async (_name, body) => {
    const answer = await deliver(body as unknown as TestEvent);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toMatch(/^(invalid_event|unexpected_event_shape)$/);
  });
});

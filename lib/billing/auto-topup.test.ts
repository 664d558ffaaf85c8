// Auto top-up against the fake Stripe server: exactly one PaymentIntent per need, however many
// charges ask at once, and never a second while one is in flight. The settlement test claims
// jobs from the queue, so on Postgres this file has a database of its own.
import "@/lib/testing/isolated-database";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { getDb } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { claimJobs } from "@/lib/jobs/claim";
import { executeJob } from "@/lib/jobs/execute";
import { settleOrDiscard } from "@/lib/jobs/settle";
import { DECLINING_PAYMENT_METHOD } from "@/lib/testing/fake-stripe";
import { withFakeStripe } from "@/lib/testing/with-fake-stripe";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { autoTopupIntent, stripeEvent, TEST_WEBHOOK_SECRET, webhookRequest } from "@/lib/testing/stripe-webhooks";
import { getAutoTopup, maybeAutoTopUp, REFUSAL_PAUSE_MS, saveAutoTopup } from "./auto-topup";
import { getBalance } from "./balance";
import { grantCredit } from "./credit";
import { assertLedgerInvariants } from "./invariants";
import { listLedgerEntries } from "./statement";
import { createTopUpCheckout } from "./stripe/checkout";
import { stripeClient } from "./stripe/client";
import { POST as stripeWebhook } from "@/app/api/stripe/webhook/route";

const stripe = withFakeStripe();
beforeEach(() => vi.stubEnv("STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET));

const usd = (dollars: number) => BigInt(Math.round(dollars * 1_000_000));
const intentsFor = (accountId: string) =>
  stripe().requestsTo("POST", "/v1/payment_intents").filter((r) => r.params["metadata[account_id]"] === accountId);
const deliver = async (type: string, object: Record<string, unknown>) => {
  const response = await stripeWebhook(webhookRequest(stripeEvent(type, object)));
  const answer = { status: response.status, body: await response.json() };
  expect(answer.status).toBe(200);
};
const spend = (accountId: string, dollars: number) =>
  grantCredit({ accountId, amountMicros: -usd(dollars), kind: "adjustment", description: "test spend" });

/** An account with `creditUsd`, a card on file (a Stripe customer of the fake) and auto top-up set. */
async function accountWithCard(input: { creditUsd: string; thresholdUsd: number; amountUsd: number; paymentMethod?: string }) {
  const { account, principal } = await createTestAccount({ creditUsd: input.creditUsd });
  const customer = await stripeClient().customers.create({ metadata: { account_id: account.id } });
  const db = await getDb();
  await db
    .update(creditAccounts)
    .set({ stripeCustomerId: customer.id, autoTopupPaymentMethodId: input.paymentMethod ?? "pm_card_visa" })
    .where(eq(creditAccounts.id, account.id));
  await saveAutoTopup({ accountId: account.id, thresholdMicros: usd(input.thresholdUsd), amountMicros: usd(input.amountUsd) });
  return { id: account.id, principal };
}

describe("auto top-up", () => {
  test("a paid checkout saves its card; a charge below the threshold then buys exactly one top-up, credited by the webhook", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "0" });
    const checkout = await createTopUpCheckout({ accountId: account.id, amountMicros: usd(5), origin: "https://easel.example" });
    const session = stripe().completeCheckoutSession(checkout.id, { paymentMethod: "pm_saved_at_checkout" });
    await deliver("checkout.session.completed", session);
    expect(stripe().requestsTo("GET", `/v1/payment_intents/${session.payment_intent as string}`)).toHaveLength(1);
    expect(await getAutoTopup({ accountId: account.id })).toMatchObject({ paymentMethodSaved: true, pendingIntentId: null });
    await saveAutoTopup({ accountId: account.id, thresholdMicros: usd(4.98), amountMicros: usd(25) });

    // A job's charge ($0.054) takes available credit from $5 to $4.946, under the $4.98 threshold.
    const job = await submitJob(principal, { prompt: "spend a little", model: "recraft-v4" });
    const [claimed] = await claimJobs({ workerId: "wkr_autotopup", limit: 1, leaseMs: 60_000 });
    expect(claimed?.id).toBe(job.id);
    const outcome = await executeJob(claimed!, new AbortController().signal);
    expect(await settleOrDiscard({ workerId: "wkr_autotopup", job: claimed!, outcome })).toMatchObject({ status: "succeeded" });

    const [request] = await eventually(async () => (intentsFor(account.id).length > 0 ? intentsFor(account.id) : undefined), 10_000, "a PaymentIntent");
    expect(request!.params).toMatchObject({
      amount: "2500",
      currency: "usd",
      confirm: "true",
      off_session: "true",
      customer: stripe().sessions.get(checkout.id)!.customer,
      payment_method: "pm_saved_at_checkout",
      "metadata[kind]": "auto_topup",
      "metadata[account_id]": account.id,
    });
    expect(request!.idempotencyKey).toMatch(new RegExp(`^easel-auto-topup-${account.id}-claim_`));
    const pending = await eventually(
      async () => {
        const id = (await getAutoTopup({ accountId: account.id }))?.pendingIntentId;
        return id?.startsWith("pi_") ? id : undefined;
      },
      10_000,
      "the PaymentIntent to be recorded",
    );
    expect(await maybeAutoTopUp(account.id)).toEqual({ status: "skipped", reason: "not_needed" }); // in flight
    expect(intentsFor(account.id)).toHaveLength(1);

    await deliver("payment_intent.succeeded", stripe().paymentIntents.get(pending)!);
    const topups = await listLedgerEntries({ accountId: account.id, type: "topup" });
    expect(topups.map((e) => [e.paymentRef, e.amountMicros])).toEqual([
      [pending, usd(25)],
      [checkout.id, usd(5)],
    ]);
    expect(await getAutoTopup({ accountId: account.id })).toMatchObject({ pendingIntentId: null, pendingSince: null });
    expect((await getBalance({ accountId: account.id }))!.lifetimeDepositsMicros).toBe(usd(30));
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("many checks at once, and more while it is pending → exactly one PaymentIntent", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10 });
    const results = await Promise.all(Array.from({ length: 20 }, () => maybeAutoTopUp(acct.id)));
    expect(results.filter((r) => r.status === "created")).toHaveLength(1);
    expect(results.filter((r) => r.status === "skipped")).toHaveLength(19);
    for (let i = 0; i < 5; i++) expect((await maybeAutoTopUp(acct.id)).status).toBe("skipped");
    expect(intentsFor(acct.id)).toHaveLength(1);
    expect((await getAutoTopup({ accountId: acct.id }))!.pendingIntentId).toMatch(/^pi_/);
    // Only the webhook credits: nothing has moved yet.
    expect(await listLedgerEntries({ accountId: acct.id, type: "topup" })).toEqual([]);
    await assertLedgerInvariants({ accountId: acct.id });
  });

  test("none while available credit is at or above the threshold, none when turned off", async () => {
    const acct = await accountWithCard({ creditUsd: "5", thresholdUsd: 5, amountUsd: 10 });
    expect(await maybeAutoTopUp(acct.id)).toEqual({ status: "skipped", reason: "not_needed" });
    await saveAutoTopup({ accountId: acct.id, thresholdMicros: null, amountMicros: null });
    await spend(acct.id, 4.5);
    expect(await maybeAutoTopUp(acct.id)).toEqual({ status: "skipped", reason: "not_needed" });
    expect(intentsFor(acct.id)).toEqual([]);
  });

  test("after payment_intent.succeeded credits and clears the marker, the next fall buys again", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10 });
    const first = await maybeAutoTopUp(acct.id);
    expect(first.status).toBe("created");
    const firstId = first.status === "created" ? first.paymentIntentId : "";
    await deliver("payment_intent.succeeded", stripe().paymentIntents.get(firstId)!);
    await deliver("payment_intent.succeeded", stripe().paymentIntents.get(firstId)!); // another event, same payment
    expect((await getBalance({ accountId: acct.id }))!.balanceMicros).toBe(usd(11));
    expect(await maybeAutoTopUp(acct.id)).toEqual({ status: "skipped", reason: "not_needed" }); // $11 ≥ $2

    await spend(acct.id, 9.5);
    const second = await maybeAutoTopUp(acct.id);
    expect(second).toMatchObject({ status: "created" });
    expect(intentsFor(acct.id)).toHaveLength(2);
    expect(new Set(intentsFor(acct.id).map((r) => r.idempotencyKey)).size).toBe(2);
    expect(await listLedgerEntries({ accountId: acct.id, type: "topup" })).toHaveLength(1);
    await assertLedgerInvariants({ accountId: acct.id });
  });

  test("payment_intent.payment_failed clears the marker and pauses auto top-up, with the card's reason", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10 });
    const first = await maybeAutoTopUp(acct.id);
    const firstId = first.status === "created" ? first.paymentIntentId : "";
    const claim = stripe().paymentIntents.get(firstId)!.metadata as Record<string, string>;
    const failed = {
      ...autoTopupIntent({ accountId: acct.id, amountCents: 1000, id: firstId, claim: claim.claim, status: "requires_payment_method" }),
      last_payment_error: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
    };
    await deliver("payment_intent.payment_failed", failed);
    const setting = await getAutoTopup({ accountId: acct.id });
    expect(setting).toMatchObject({ pendingIntentId: null, refused: { reason: "Your card has insufficient funds." } });
    expect(setting!.refused!.retryAfter.getTime() - setting!.refused!.at.getTime()).toBe(REFUSAL_PAUSE_MS);
    expect(await listLedgerEntries({ accountId: acct.id, type: "topup" })).toEqual([]);

    expect(await maybeAutoTopUp(acct.id)).toEqual({ status: "skipped", reason: "not_needed" }); // paused
    expect(intentsFor(acct.id)).toHaveLength(1);
    await assertLedgerInvariants({ accountId: acct.id });
  });

  test("a declined card: Stripe's 402 clears the marker, nothing is credited, and no charge retries it for a day", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10, paymentMethod: DECLINING_PAYMENT_METHOD });
    const result = await maybeAutoTopUp(acct.id);
    expect(result).toMatchObject({ status: "refused", code: "card_declined" });
    expect(intentsFor(acct.id).map((r) => r.status)).toEqual([402]);
    expect(await getAutoTopup({ accountId: acct.id })).toMatchObject({ pendingIntentId: null, pendingSince: null, refused: { reason: expect.any(String) } });
    for (let charge = 0; charge < 5; charge++) expect((await maybeAutoTopUp(acct.id)).status).toBe("skipped");
    expect(intentsFor(acct.id)).toHaveLength(1); // one attempt, not one per charge

    // A day later it tries again (and is refused again).
    const db = await getDb();
    await db
      .update(creditAccounts)
      .set({ autoTopupFailedAt: sql`now() - interval '25 hours'` })
      .where(eq(creditAccounts.id, acct.id));
    expect((await getAutoTopup({ accountId: acct.id }))!.refused).toBeNull();
    expect((await maybeAutoTopUp(acct.id)).status).toBe("refused");
    expect(intentsFor(acct.id)).toHaveLength(2);
    expect(await listLedgerEntries({ accountId: acct.id, type: "topup" })).toEqual([]);
    await assertLedgerInvariants({ accountId: acct.id });
  });

  test("the owner ends a pause at once: by saving the settings, or a new card at a checkout", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10, paymentMethod: DECLINING_PAYMENT_METHOD });
    expect((await maybeAutoTopUp(acct.id)).status).toBe("refused");
    expect((await maybeAutoTopUp(acct.id)).status).toBe("skipped");

    await saveAutoTopup({ accountId: acct.id, thresholdMicros: usd(2), amountMicros: usd(10) });
    expect((await getAutoTopup({ accountId: acct.id }))!.refused).toBeNull();
    expect((await maybeAutoTopUp(acct.id)).status).toBe("refused"); // the same declining card
    expect((await maybeAutoTopUp(acct.id)).status).toBe("skipped");

    const checkout = await createTopUpCheckout({ accountId: acct.id, amountMicros: usd(5), origin: "https://easel.example" });
    await deliver("checkout.session.completed", stripe().completeCheckoutSession(checkout.id, { paymentMethod: "pm_card_visa" }));
    expect(await getAutoTopup({ accountId: acct.id })).toMatchObject({ refused: null, paymentMethodSaved: true });
    await spend(acct.id, 5); // the checkout's $5 took it back over the threshold
    expect(await maybeAutoTopUp(acct.id)).toMatchObject({ status: "created" });
    expect(intentsFor(acct.id)).toHaveLength(3);
    await assertLedgerInvariants({ accountId: acct.id });
  });

  test("a marker older than an hour is stale and replaced; a webhook clears only its own claim", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10 });
    const db = await getDb();
    const mark = (id: string, age: string) =>
      db
        .update(creditAccounts)
        .set({ autoTopupPendingIntentId: id, autoTopupPendingSince: sql`now() - ${age}::interval` })
        .where(eq(creditAccounts.id, acct.id));

    await mark("claim_recent", "10 minutes");
    expect((await maybeAutoTopUp(acct.id)).status).toBe("skipped");
    // The success of an older payment does not clear a newer claim.
    await deliver("payment_intent.succeeded", autoTopupIntent({ accountId: acct.id, amountCents: 1000, claim: "claim_older" }));
    expect((await getAutoTopup({ accountId: acct.id }))!.pendingIntentId).toBe("claim_recent");
    // The webhook may beat the create call: a claim is cleared by the payment that carries it.
    await deliver("payment_intent.succeeded", autoTopupIntent({ accountId: acct.id, amountCents: 1000, claim: "claim_recent" }));
    expect((await getAutoTopup({ accountId: acct.id }))!.pendingIntentId).toBeNull();

    await spend(acct.id, 20.5); // $21 → $0.50
    await mark("claim_lost", "2 hours");
    expect((await maybeAutoTopUp(acct.id)).status).toBe("created");
    expect(intentsFor(acct.id)).toHaveLength(1);
    await assertLedgerInvariants({ accountId: acct.id });
  });

  test("nothing without Stripe configured, and settings are validated", async () => {
    const acct = await accountWithCard({ creditUsd: "1", thresholdUsd: 2, amountUsd: 10 });
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    expect(await maybeAutoTopUp(acct.id)).toEqual({ status: "skipped", reason: "stripe_not_configured" });
    expect(intentsFor(acct.id)).toEqual([]);

    const save = (thresholdMicros: bigint | null, amountMicros: bigint | null) => saveAutoTopup({ accountId: acct.id, thresholdMicros, amountMicros });
    await expect(save(usd(2), usd(4.99))).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_auto_topup" });
    await expect(save(usd(2), usd(1000.01))).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_auto_topup" });
    await expect(save(-1n, usd(10))).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_auto_topup" });
    await expect(save(usd(2), null)).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_auto_topup" });
    expect(await save(null, null)).toMatchObject({ thresholdMicros: null, amountMicros: null, paymentMethodSaved: true });
    expect(await save(0n, usd(1000))).toMatchObject({ thresholdMicros: 0n, amountMicros: usd(1000) });
  });
});

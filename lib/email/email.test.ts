// The emails, sent by the email sender after their transactions commit, over SMTP to a real
// local SMTP server started here: the welcome, a receipt after a Stripe webhook top-up, one
// low-balance email (and one balance.low event) per crossing, and a refused auto top-up.
import "@/lib/testing/isolated-database"; // its jobs stay queued: no other test file's worker or sweeper takes them
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { POST as stripeWebhook } from "@/app/api/stripe/webhook/route";
import { getDb } from "@/db/client";
import { creditAccounts, webhookEndpoints, webhookEvents } from "@/db/schema";
import { createUser } from "@/lib/accounts/users";
import { grantCredit } from "@/lib/billing/credit";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { setLowBalanceThreshold } from "@/lib/billing/low-balance";
import { createTopUpCheckout } from "@/lib/billing/stripe/checkout";
import { newId } from "@/lib/ids";
import { call, createTestAccount, eventually } from "@/lib/testing/fixtures";
import { endQueuedJob, submitJob } from "@/lib/testing/jobs";
import { startSmtpInbox } from "@/lib/testing/smtp-inbox";
import { autoTopupIntent, stripeEvent, TEST_WEBHOOK_SECRET, webhookRequest } from "@/lib/testing/stripe-webhooks";
import { withFakeStripe } from "@/lib/testing/with-fake-stripe";
import { EmailSender } from "./sender";

const stripe = withFakeStripe();
let inbox: Awaited<ReturnType<typeof startSmtpInbox>>;
let sender: EmailSender;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  sender = new EmailSender({ pollMs: 20 }, { origin: "https://easel.example" });
  await sender.start();
});
afterAll(async () => {
  await sender.stop();
  await inbox.close();
});
beforeEach(() => {
  vi.stubEnv("SMTP_URL", inbox.url);
  vi.stubEnv("EMAIL_FROM", "Easel <billing@easel.example>");
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET);
});

const mailsTo = (email: string, subject: RegExp) => inbox.to(email).filter((mail) => subject.test(mail.subject));
const waitForMails = (email: string, subject: RegExp, count: number) =>
  eventually(async () => (mailsTo(email, subject).length >= count ? mailsTo(email, subject) : undefined), 10_000, `${count} × ${subject} to ${email}`);

/** An endpoint subscribed to balance.low, so that the event is written (it is not, with no receiver). */
async function subscribeToBalanceLow(accountId: string) {
  await (await getDb()).insert(webhookEndpoints).values({
    id: newId("whe"),
    accountId,
    url: "https://receiver.example/hooks",
    eventTypes: ["balance.low"],
    secret: "whsec_test",
  });
}

async function balanceLowEvents(accountId: string) {
  return (await getDb()).select().from(webhookEvents).where(and(eq(webhookEvents.accountId, accountId), eq(webhookEvents.type, "balance.low")));
}

describe("email", () => {
  test("a new account gets the welcome email, with its signup credit, as text and HTML", async () => {
    const { user } = await createUser({ email: `welcome-${Date.now()}@example.test`, creditMicros: 1_000_000n });
    const [mail] = await waitForMails(user.email, /^Welcome to Easel$/, 1);
    expect(mail!.from).toBe("billing@easel.example");
    expect(mail!.raw).toContain("Content-Type: text/plain");
    expect(mail!.raw).toContain("Content-Type: text/html");
    expect(mail!.body).toContain("starts with $1.00 of credit");
    expect(mail!.body).toContain("https://easel.example/compose");
  });

  test("a top-up by Stripe Checkout sends one receipt: amount, new balance, Stripe's receipt link", async () => {
    const { account, user } = await createTestAccount({ creditUsd: "1" });
    const checkout = await createTopUpCheckout({ accountId: account.id, amountMicros: 25_000_000n, origin: "https://easel.example" });
    const session = stripe().completeCheckoutSession(checkout.id);
    const event = stripeEvent("checkout.session.completed", session);
    expect((await call(stripeWebhook, webhookRequest(event))).status).toBe(200);
    expect((await call(stripeWebhook, webhookRequest(event))).status).toBe(200); // a redelivery: no second receipt

    const [receipt] = await waitForMails(user.email, /^Receipt: \$25\.00 added/, 1);
    expect(receipt!.body).toContain("$25.00 was added to your credit");
    expect(receipt!.body).toContain("Your balance is now $26.00.");
    const charge = [...stripe().charges.values()].find((c) => c.payment_intent === session.payment_intent)!;
    expect(receipt!.body).toContain(`https://pay.stripe.com/receipts/payment/${charge.id}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(user.email, /^Receipt/)).toHaveLength(1);
  });

  test("one low-balance email and one balance.low event per crossing, none again until credit recovers", async () => {
    const { account, user, principal } = await createTestAccount({ creditUsd: "1" });
    await subscribeToBalanceLow(account.id);
    await setLowBalanceThreshold({ accountId: account.id, thresholdMicros: 990_000n });
    const charge = async () => {
      const job = await submitJob(principal, { model: "minimax-image-01", prompt: "spend" });
      await endQueuedJob(job.id, "succeeded", 5_000n);
    };
    await charge(); // $0.995
    await charge(); // $0.990: not below
    expect(await balanceLowEvents(account.id)).toHaveLength(0);
    await charge(); // $0.985: crossed
    await charge(); // $0.980: still below, no second alert
    await charge(); // $0.975: nor a third
    const [mail] = await waitForMails(user.email, /credit is low/, 1);
    expect(mail!.subject).toBe("Your Easel credit is low: $0.985 available");
    expect(mail!.body).toContain("below the $0.99 you asked to be told about");
    const events = await balanceLowEvents(account.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ available: 0.985, threshold: 0.99 });

    await grantCredit({ accountId: account.id, amountMicros: 25_000n, kind: "adjustment", description: "back above" }); // $1.000
    await charge(); // $0.995: above, re-armed
    await charge(); // $0.990
    await charge(); // $0.985: the second crossing
    await waitForMails(user.email, /credit is low/, 2);
    expect(await balanceLowEvents(account.id)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(user.email, /credit is low/)).toHaveLength(2);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a refused auto top-up emails its owner the reason", async () => {
    const { account, user } = await createTestAccount({ creditUsd: "1" });
    const intent = autoTopupIntent({ accountId: account.id, amountCents: 1000, status: "requires_payment_method" });
    await (await getDb())
      .update(creditAccounts)
      .set({ autoTopupPendingIntentId: intent.id as string, autoTopupPendingSince: new Date() })
      .where(eq(creditAccounts.id, account.id));
    expect((await call(stripeWebhook, webhookRequest(stripeEvent("payment_intent.payment_failed", intent)))).status).toBe(200);
    const [mail] = await waitForMails(user.email, /auto top-up failed/, 1);
    expect(mail!.body).toContain("Your card was declined.");
  });
});

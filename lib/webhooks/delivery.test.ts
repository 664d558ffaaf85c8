// Webhook delivery end to end on one process: jobs run by a real worker, events written by the
// outbox, delivered by a real deliverer to node:http receivers on 127.0.0.1, verified by the
// `standardwebhooks` package as a receiver would.
import "@/lib/testing/isolated-database";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { withTransaction } from "@/db/client";
import { creditPaymentOnce } from "@/lib/billing/stripe/payments";
import { JobWorker } from "@/lib/jobs/worker";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { startReceiver, type Answer, type Receiver } from "@/lib/testing/webhook-receiver";
import type { WebhookConfig } from "./config";
import { getDelivery, listDeliveries, redeliver } from "./deliveries";
import { WebhookDeliverer } from "./deliverer";
import { createEndpoint, getEndpoint, rotateSecret, sendTestEvent, updateEndpoint } from "./endpoints";
import { accountSigningSecret } from "./secrets";

beforeAll(() => {
  process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS = "1";
});

let stoppers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stoppers.reverse()) await stop();
  stoppers = [];
});

async function receiver(answer?: (index: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer ? (_, index) => answer(index) : undefined);
  stoppers.push(() => r.close());
  return r;
}

async function deliverer(config: Partial<WebhookConfig> = {}) {
  const d = new WebhookDeliverer({ pollMs: 20, retryScheduleMs: [50, 100, 200], timeoutMs: 2_000, ...config });
  await d.start();
  stoppers.push(() => d.stop());
  return d;
}

async function worker() {
  const w = new JobWorker();
  await w.start();
  stoppers.push(() => w.stop(0));
  return w;
}

const parse = (body: string) => JSON.parse(body) as { id: string; type: string; created_at: string; data: Record<string, unknown> };

describe("webhook delivery", () => {
  test("a job's job.succeeded arrives once, verifies, and carries the charged amount and fresh image URLs", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver();
    const { endpoint, secret } = await createEndpoint({ accountId: account.id, url: hooks.url, eventTypes: ["job.started", "job.succeeded"] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await deliverer();
    await worker();

    const job = await submitJob(principal, { model: "recraft-v4", prompt: "a webhook lighthouse", n: 2 });
    expect((await waitForTerminal(principal, job.id)).status).toBe("succeeded");
    await eventually(async () => (hooks.received.length >= 2 ? true : undefined), 10_000, "two events");
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more comes

    const verifier = new Webhook(secret);
    const events = hooks.received.map((request) => {
      verifier.verify(request.body, hooks.headersOf(request));
      return { ...parse(request.body), webhookId: request.headers["webhook-id"] };
    });
    expect(events.map((e) => e.type).sort()).toEqual(["job.started", "job.succeeded"]);
    const succeeded = events.find((e) => e.type === "job.succeeded")!;
    expect(succeeded.webhookId).toBe(succeeded.id);
    expect(succeeded.data).toMatchObject({ id: job.id, object: "image.job", status: "succeeded", charged_amount: 0.108, released_amount: 0 });
    const images = succeeded.data.images as Array<{ url: string }>;
    expect(images).toHaveLength(2);
    expect(images[0]!.url).toMatch(/\/v1\/files\/file_\w+\?expires=\d+&sig=/);
    expect(events.find((e) => e.type === "job.started")!.data).toMatchObject({ id: job.id, status: "processing", charged_amount: null });

    const log = await listDeliveries({ accountId: account.id, endpointId: endpoint.id, limit: 10 });
    expect(log.deliveries.map((d) => [d.eventType, d.status, d.attempts])).toEqual(
      expect.arrayContaining([
        ["job.succeeded", "succeeded", 1],
        ["job.started", "succeeded", 1],
      ]),
    );
  });

  test("an endpoint subscribed to other events hears nothing of a job, and no event is written", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver();
    await createEndpoint({ accountId: account.id, url: hooks.url, eventTypes: ["topup.succeeded"] });
    await deliverer();
    await worker();
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "quiet" });
    await waitForTerminal(principal, job.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.received).toHaveLength(0);
    expect((await listDeliveries({ accountId: account.id, limit: 10 })).deliveries).toHaveLength(0);
  });

  test("500, 500, then 200: three attempts, one success, every one logged", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver((i) => (i < 2 ? { status: 500, body: `boom ${i}` } : { status: 200, body: "thanks" }));
    const { endpoint, secret } = await createEndpoint({ accountId: account.id, url: hooks.url, eventTypes: ["job.succeeded"] });
    await deliverer();
    await worker();
    await submitJob(principal, { model: "minimax-image-01", prompt: "flaky receiver" });

    const delivery = await eventually(async () => {
      const [d] = (await listDeliveries({ accountId: account.id, endpointId: endpoint.id, limit: 1 })).deliveries;
      return d?.status === "succeeded" ? d : undefined;
    });
    expect(delivery.attempts).toBe(3);
    expect(delivery.attemptLog.map((a) => [a.statusCode, a.responseBody])).toEqual([
      [500, "boom 0"],
      [500, "boom 1"],
      [200, "thanks"],
    ]);
    for (const attempt of delivery.attemptLog) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    // Retries carry the same webhook-id, and each verifies.
    expect(new Set(hooks.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([delivery.eventId]));
    for (const request of hooks.received) new Webhook(secret).verify(request.body, hooks.headersOf(request));
    // The waits between attempts follow the schedule (50 ms, then 100 ms, ±10 %).
    expect(hooks.received[1]!.at - hooks.received[0]!.at).toBeGreaterThanOrEqual(40);
    expect(hooks.received[2]!.at - hooks.received[1]!.at).toBeGreaterThanOrEqual(85);
  });

  test("a receiver that keeps failing: the schedule runs out and the delivery fails", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver(() => ({ status: 503 }));
    const { endpoint } = await createEndpoint({ accountId: account.id, url: hooks.url });
    await deliverer({ retryScheduleMs: [10, 10] });
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
    const delivery = await eventually(async () => {
      const [d] = (await listDeliveries({ accountId: account.id, limit: 1 })).deliveries;
      return d?.status === "failed" ? d : undefined;
    });
    expect(delivery.attempts).toBe(3);
    expect(delivery.lastError).toBe("HTTP 503");
    expect(hooks.received).toHaveLength(3);
  });

  test("Retry-After is honoured: the next attempt waits at least as long as asked", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver((i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }));
    const { endpoint } = await createEndpoint({ accountId: account.id, url: hooks.url });
    await deliverer({ retryScheduleMs: [10] });
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
    await eventually(async () => (hooks.received.length === 2 ? true : undefined), 10_000, "the retry");
    expect(hooks.received[1]!.at - hooks.received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  test("410 Gone disables the endpoint, with the reason; re-enabled by PATCH, a redelivery goes through", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    let gone = true;
    const hooks = await receiver(() => (gone ? { status: 410 } : { status: 204 }));
    const { endpoint } = await createEndpoint({ accountId: account.id, url: hooks.url });
    await deliverer();
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });

    const disabled = await eventually(async () => {
      const e = await getEndpoint({ accountId: account.id, endpointId: endpoint.id });
      return e.enabled ? undefined : e;
    });
    expect(disabled.disabledReason).toBe("The endpoint answered 410 Gone.");
    const [delivery] = (await listDeliveries({ accountId: account.id, limit: 1 })).deliveries;
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 410 });
    await expect(sendTestEvent({ accountId: account.id, endpointId: endpoint.id })).rejects.toMatchObject({ code: "webhook_endpoint_disabled" });
    await expect(redeliver({ accountId: account.id, deliveryId: delivery!.id })).rejects.toMatchObject({ code: "webhook_endpoint_disabled" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hooks.received).toHaveLength(1); // no retries to a disabled endpoint

    gone = false;
    await updateEndpoint({ accountId: account.id, endpointId: endpoint.id, enabled: true });
    await redeliver({ accountId: account.id, deliveryId: delivery!.id });
    const again = await eventually(async () => {
      const d = await getDelivery({ accountId: account.id, deliveryId: delivery!.id });
      return d.status === "succeeded" ? d : undefined;
    });
    expect(again.attemptLog.map((a) => a.statusCode)).toEqual([410, 204]);
    expect(hooks.received[1]!.headers["webhook-id"]).toBe(hooks.received[0]!.headers["webhook-id"]);
  });

  test("a receiver that hangs: the timeout is logged and the delivery retried", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver((i) => (i === 0 ? "hang" : { status: 200 }));
    const { endpoint } = await createEndpoint({ accountId: account.id, url: hooks.url });
    await deliverer({ timeoutMs: 300 });
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
    const delivery = await eventually(async () => {
      const [d] = (await listDeliveries({ accountId: account.id, limit: 1 })).deliveries;
      return d?.status === "succeeded" ? d : undefined;
    });
    expect(delivery.attemptLog.map((a) => [a.statusCode, a.error])).toEqual([
      [null, "No answer within 300 ms."],
      [200, null],
    ]);
    expect(delivery.attemptLog[0]!.durationMs).toBeGreaterThanOrEqual(290);
  });

  test("a redirect is not followed: a 3xx is a failed attempt, logged with where it pointed", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const target = await receiver();
    const hooks = await receiver((i) => (i === 0 ? { status: 302, headers: { location: target.url } } : { status: 200 }));
    const { endpoint } = await createEndpoint({ accountId: account.id, url: hooks.url });
    await deliverer();
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
    const delivery = await eventually(async () => {
      const [d] = (await listDeliveries({ accountId: account.id, limit: 1 })).deliveries;
      return d?.status === "succeeded" ? d : undefined;
    });
    expect(delivery.attemptLog[0]).toMatchObject({ statusCode: 302, error: `Redirects are not followed (HTTP 302 to ${target.url}).` });
    expect(target.received).toHaveLength(0);
  });

  test("only the first KiB of an answer is kept", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver(() => ({ status: 200, body: "x".repeat(100_000) }));
    const { endpoint } = await createEndpoint({ accountId: account.id, url: hooks.url });
    await deliverer();
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
    const delivery = await eventually(async () => {
      const [d] = (await listDeliveries({ accountId: account.id, limit: 1 })).deliveries;
      return d?.status === "succeeded" ? d : undefined;
    });
    expect(delivery.attemptLog[0]!.responseBody).toHaveLength(1024);
  });

  test("a request's own webhook_url hears only what its filter asks, signed with the account's secret", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver();
    await deliverer();
    await worker();
    const job = await submitJob(principal, {
      model: "minimax-image-01",
      prompt: "my own receiver",
      webhook_url: hooks.url,
      webhook_events_filter: ["completed"],
    });
    await waitForTerminal(principal, job.id);
    await eventually(async () => (hooks.received.length >= 1 ? true : undefined), 10_000, "the event");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.received).toHaveLength(1);
    const [request] = hooks.received;
    new Webhook(accountSigningSecret(account.id)).verify(request!.body, hooks.headersOf(request!));
    expect(parse(request!.body)).toMatchObject({ type: "job.succeeded", data: { id: job.id, charged_amount: 0.005 } });
  });

  test("a rotated secret: both sign during the overlap, so a receiver holding either accepts", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver();
    const { endpoint, secret: before } = await createEndpoint({ accountId: account.id, url: hooks.url });
    const { secret: after } = await rotateSecret({ accountId: account.id, endpointId: endpoint.id });
    expect(after).not.toBe(before);
    await deliverer();
    await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
    await eventually(async () => (hooks.received.length === 1 ? true : undefined), 10_000, "the test event");
    const [request] = hooks.received;
    expect(String(request!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(parse(request!.body)).toMatchObject({ type: "webhook.test", data: { endpoint_id: endpoint.id } });
    for (const secret of [before, after]) new Webhook(secret).verify(request!.body, hooks.headersOf(request!));
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(request!.body, hooks.headersOf(request!))).toThrow();
  });

  test("a credited top-up sends topup.succeeded with the balance after it", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const hooks = await receiver();
    const { secret } = await createEndpoint({ accountId: account.id, url: hooks.url, eventTypes: ["topup.succeeded"] });
    await deliverer();
    const input = { accountId: account.id, amountMicros: 5_000_000n, paymentRef: `cs_test_${account.id}`, description: "Top-up" };
    expect(await withTransaction((tx) => creditPaymentOnce(tx, input))).toBe("credited");
    expect(await withTransaction((tx) => creditPaymentOnce(tx, input))).toBe("already_credited");
    await eventually(async () => (hooks.received.length === 1 ? true : undefined), 10_000, "the top-up event");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hooks.received).toHaveLength(1); // the second credit of the payment was not one
    const [request] = hooks.received;
    new Webhook(secret).verify(request!.body, hooks.headersOf(request!));
    expect(parse(request!.body)).toMatchObject({
      type: "topup.succeeded",
      data: { object: "topup", amount: 5, balance: { account_id: account.id, balance: 6, held: 0, available: 6 } },
    });
  });
});

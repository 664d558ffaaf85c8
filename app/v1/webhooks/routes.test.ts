// The webhook API: endpoints, the delivery log, redelivery, test events — owner-scoped, with
// the secret shown once.
import "@/lib/testing/isolated-database";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { POST as generate } from "@/app/v1/images/generations/route";
import { GET as getJob } from "@/app/v1/jobs/[id]/route";
import { getJob as jobRow } from "@/lib/jobs/queries";
import { apiRequest, call, createTestAccount, eventually } from "@/lib/testing/fixtures";
import { startReceiver, type Receiver } from "@/lib/testing/webhook-receiver";
import { WebhookDeliverer } from "@/lib/webhooks/deliverer";
import { accountSigningSecret } from "@/lib/webhooks/secrets";
import { GET as getSecret } from "./default/secret/route";
import { POST as redeliverRoute } from "./deliveries/[id]/redeliver/route";
import { GET as getDelivery } from "./deliveries/[id]/route";
import { GET as listDeliveries } from "./deliveries/route";
import { POST as rotate } from "./endpoints/[id]/rotate-secret/route";
import { DELETE as remove, GET as getEndpoint, PATCH as patch } from "./endpoints/[id]/route";
import { POST as sendTest } from "./endpoints/[id]/test/route";
import { GET as listEndpoints, POST as createEndpoint } from "./endpoints/route";

let receiver: Receiver;
let deliverer: WebhookDeliverer | undefined;
beforeEach(async () => {
  process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS = "1";
  receiver = await startReceiver();
});
afterEach(async () => {
  await deliverer?.stop();
  deliverer = undefined;
  await receiver.close();
});

const create = (key: string, body: unknown) => call(createEndpoint, apiRequest("/v1/webhooks/endpoints", { key, body }));
const one = (key: string, id: string, method = "GET", body?: unknown) => {
  const handler = method === "GET" ? getEndpoint : method === "PATCH" ? patch : remove;
  return call(handler, apiRequest(`/v1/webhooks/endpoints/${id}`, { key, method, body }), { id });
};
const post = (handler: typeof sendTest, path: string, key: string, id: string) => call(handler, apiRequest(path, { key, method: "POST" }), { id });
const deliveries = (key: string, query = "") => call(listDeliveries, apiRequest(`/v1/webhooks/deliveries${query}`, { key }));

describe("/v1/webhooks/endpoints", () => {
  test("create answers 201 with the secret, once; reads never show it", async () => {
    const { secret: key } = await createTestAccount();
    const created = await create(key, { url: receiver.url, description: "prod", event_types: ["job.succeeded", "job.failed"] });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/v1/webhooks/endpoints/${created.body.id}`);
    expect(created.body).toMatchObject({
      object: "webhook_endpoint",
      url: receiver.url,
      description: "prod",
      event_types: ["job.succeeded", "job.failed"],
      status: "enabled",
      disabled_reason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await call(listEndpoints, apiRequest("/v1/webhooks/endpoints", { key }));
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).not.toHaveProperty("secret");
    expect((await one(key, created.body.id)).body).not.toHaveProperty("secret");

    const defaults = await create(key, { url: receiver.url });
    expect(defaults.body.event_types).toEqual(["job.started", "job.succeeded", "job.failed", "job.expired", "job.canceled", "balance.low", "topup.succeeded"]);
  });

  test("bad bodies are refused with the field named", async () => {
    const { secret: key } = await createTestAccount();
    expect((await create(key, { url: receiver.url, event_types: ["job.exploded"] })).body.error).toMatchObject({ code: "invalid_parameter", param: "event_types" });
    expect((await create(key, { url: receiver.url, event_types: [] })).body.error).toMatchObject({ param: "event_types" });
    expect((await create(key, { url: receiver.url, colour: "red" })).body.error).toMatchObject({ code: "unknown_parameter", param: "colour" });
    expect((await create(key, { description: "no url" })).body.error).toMatchObject({ param: "url" });
    expect((await create(key, { url: "ftp://example.com/" })).body.error).toMatchObject({ code: "invalid_webhook_url", param: "url" });
  });

  test("without EASEL_ALLOW_PRIVATE_WEBHOOKS a loopback or http URL is refused with 400", async () => {
    delete process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS;
    const { secret: key } = await createTestAccount();
    const http = await create(key, { url: receiver.url });
    expect(http.status).toBe(400);
    expect(http.body.error).toMatchObject({ code: "invalid_webhook_url", param: "url" });
    const loopback = await create(key, { url: receiver.url.replace("http:", "https:") });
    expect(loopback.status).toBe(400);
    expect(loopback.body.error.message).toContain("loopback");
  });

  test("PATCH disables and re-enables; DELETE removes; rotate gives a new secret", async () => {
    const { secret: key } = await createTestAccount();
    const { body: endpoint } = await create(key, { url: receiver.url });
    const off = await one(key, endpoint.id, "PATCH", { enabled: false });
    expect(off.body).toMatchObject({ status: "disabled", disabled_reason: "Disabled by its owner." });
    const on = await one(key, endpoint.id, "PATCH", { enabled: true, description: "back", event_types: ["topup.succeeded"] });
    expect(on.body).toMatchObject({ status: "enabled", disabled_reason: null, description: "back", event_types: ["topup.succeeded"] });

    const rotated = await post(rotate, `/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`, key, endpoint.id);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    expect((await one(key, endpoint.id, "DELETE")).body).toEqual({ id: endpoint.id, object: "webhook_endpoint", deleted: true });
    expect((await one(key, endpoint.id)).status).toBe(404);
    expect((await one(key, endpoint.id, "DELETE")).status).toBe(404);
  });

  test("another account's endpoint and deliveries are a 404, whatever the method", async () => {
    const owner = await createTestAccount();
    const stranger = await createTestAccount();
    const { body: endpoint } = await create(owner.secret, { url: receiver.url });
    expect((await post(sendTest, `/v1/webhooks/endpoints/${endpoint.id}/test`, owner.secret, endpoint.id)).status).toBe(202);
    const [delivery] = (await deliveries(owner.secret)).body.data;

    const key = stranger.secret;
    for (const response of [
      await one(key, endpoint.id),
      await one(key, endpoint.id, "PATCH", { enabled: false }),
      await one(key, endpoint.id, "DELETE"),
      await post(rotate, `/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`, key, endpoint.id),
      await post(sendTest, `/v1/webhooks/endpoints/${endpoint.id}/test`, key, endpoint.id),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("webhook_endpoint_not_found");
    }
    for (const response of [
      await call(getDelivery, apiRequest(`/v1/webhooks/deliveries/${delivery.id}`, { key }), { id: delivery.id }),
      await post(redeliverRoute, `/v1/webhooks/deliveries/${delivery.id}/redeliver`, key, delivery.id),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("webhook_delivery_not_found");
    }
    expect((await deliveries(key)).body.data).toEqual([]);
    expect((await one(owner.secret, endpoint.id)).body.status).toBe("enabled"); // untouched
  });
});

describe("/v1/webhooks/deliveries", () => {
  test("the log pages by cursor and filters; a delivery shows its attempts; redeliver sends it again with the same webhook-id", async () => {
    const { secret: key } = await createTestAccount();
    const { body: endpoint } = await create(key, { url: receiver.url });
    for (let i = 0; i < 3; i++) await post(sendTest, `/v1/webhooks/endpoints/${endpoint.id}/test`, key, endpoint.id);

    const first = await deliveries(key, "?limit=2");
    expect(first.body).toMatchObject({ object: "list", has_more: true });
    expect(first.body.data).toHaveLength(2);
    const second = await deliveries(key, `?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.body.data).toHaveLength(1);
    const ids = [...first.body.data, ...second.body.data].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort().reverse()).toEqual(ids); // newest first

    expect((await deliveries(key, "?status=succeeded")).body.data).toHaveLength(0);
    expect((await deliveries(key, "?event_type=webhook.test&status=pending")).body.data).toHaveLength(3);
    expect((await deliveries(key, `?endpoint_id=${endpoint.id}`)).body.data).toHaveLength(3);
    expect((await deliveries(key, "?event_type=job.succeeded")).body.data).toHaveLength(0);
    expect((await deliveries(key, "?status=lost")).body.error).toMatchObject({ param: "status" });
    expect((await deliveries(key, "?cursor=nope")).body.error).toMatchObject({ code: "invalid_cursor" });

    deliverer = new WebhookDeliverer({ pollMs: 20 });
    await deliverer.start();
    const target = ids[2]!;
    const delivered = await eventually(async () => {
      const response = await call(getDelivery, apiRequest(`/v1/webhooks/deliveries/${target}`, { key }), { id: target });
      return response.body.status === "succeeded" ? response.body : undefined;
    });
    expect(delivered).toMatchObject({ object: "webhook_delivery", event_type: "webhook.test", endpoint_id: endpoint.id, attempt_count: 1, last_status_code: 200 });
    expect(delivered.attempts).toEqual([
      { started_at: expect.any(String), duration_ms: expect.any(Number), url: receiver.url, status_code: 200, response_body: "", error: null },
    ]);

    const again = await post(redeliverRoute, `/v1/webhooks/deliveries/${target}/redeliver`, key, target);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe("pending");
    await eventually(async () => {
      const response = await call(getDelivery, apiRequest(`/v1/webhooks/deliveries/${target}`, { key }), { id: target });
      return response.body.attempts.length === 2 && response.body.status === "succeeded" ? true : undefined;
    });
    const sent = receiver.received.filter((r) => r.headers["webhook-id"] === delivered.event_id);
    expect(sent).toHaveLength(2);
  });
});

describe("a request's webhook_url", () => {
  test("is stored on the job; the account's secret for it is at /v1/webhooks/default/secret", async () => {
    const { secret: key, account } = await createTestAccount();
    const response = await call(
      generate,
      apiRequest("/v1/images/generations", { key, body: { prompt: "hook me", webhook_url: receiver.url, webhook_events_filter: ["completed"] } }),
    );
    expect(response.status).toBe(202);
    const job = await jobRow({ accountId: account.id, jobId: response.body.id });
    expect(job).toMatchObject({ webhookUrl: receiver.url, webhookEvents: ["completed"] });
    expect((await call(getJob, apiRequest(`/v1/jobs/${job.id}`, { key }), { id: job.id })).status).toBe(200);

    const bad = await call(generate, apiRequest("/v1/images/generations", { key, body: { prompt: "x", webhook_url: "gopher://x" } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_webhook_url", param: "webhook_url" });

    const secret = await call(getSecret, apiRequest("/v1/webhooks/default/secret", { key }));
    expect(secret.body).toEqual({ key: accountSigningSecret(account.id) });
    expect(secret.body.key).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});

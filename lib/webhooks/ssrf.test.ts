// Webhook URLs are user-supplied: with EASEL_ALLOW_PRIVATE_WEBHOOKS unset, loopback, private
// ranges and names resolving to them are refused when saved, and again at every delivery (DNS
// can change between the two).
import "@/lib/testing/isolated-database";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { createSafePoster, type ResolvedAddress } from "@/lib/net/safe-post";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { startReceiver, type Receiver } from "@/lib/testing/webhook-receiver";
import { getDelivery, listDeliveries } from "./deliveries";
import { WebhookDeliverer } from "./deliverer";
import { createEndpoint, sendTestEvent, updateEndpoint } from "./endpoints";

beforeAll(() => {
  delete process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS;
});

const dns = (table: Record<string, string[]>) => async (hostname: string): Promise<ResolvedAddress[]> =>
  (table[hostname] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

const PUBLIC = "93.184.215.14";

describe("webhook URLs and the address policy", () => {
  test.each([
    ["http://hooks.example.com/x", "must use https"],
    ["https://127.0.0.1/x", "loopback"],
    ["https://10.1.2.3/x", "private"],
    ["https://192.168.0.10/x", "private"],
    ["https://169.254.169.254/latest", "link-local"],
    ["https://[::1]/x", "loopback"],
    ["https://[::ffff:127.0.0.1]/x", "loopback"],
    ["https://user:pw@hooks.example.com/x", "user name or password"],
    ["https://internal.example.com/x", "resolves to a private address"],
    ["https://mixed.example.com/x", "resolves to a loopback address"],
    ["not a url", "not a valid absolute URL"],
  ])("%s is refused when saved (400)", async (url, reason) => {
    const { account } = await createTestAccount();
    const lookup = dns({ "internal.example.com": ["10.0.0.7"], "mixed.example.com": [PUBLIC, "127.0.0.1"], "hooks.example.com": [PUBLIC] });
    const refusal = createEndpoint({ accountId: account.id, url }, { lookup });
    await expect(refusal).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_webhook_url", param: "url" });
    await expect(refusal).rejects.toThrow(reason);
  });

  test("a public https URL is accepted; changing it to a private one is refused", async () => {
    const { account } = await createTestAccount();
    const lookup = dns({ "hooks.example.com": [PUBLIC], "intranet.example.com": ["172.16.4.4"] });
    const { endpoint } = await createEndpoint({ accountId: account.id, url: "https://hooks.example.com/easel" }, { lookup });
    expect(endpoint.url).toBe("https://hooks.example.com/easel");
    await expect(
      updateEndpoint({ accountId: account.id, endpointId: endpoint.id, url: "https://intranet.example.com/" }, { lookup }),
    ).rejects.toMatchObject({ name: "InvalidInput", code: "invalid_webhook_url" });
  });

  test("a request's webhook_url on a private address or plain http is refused (400)", async () => {
    const { principal } = await createTestAccount();
    for (const url of ["https://127.0.0.1/hook", "https://[fd00::1]/hook", "http://hooks.example.com/hook"]) {
      await expect(submitJob(principal, { prompt: "x", webhook_url: url })).rejects.toMatchObject({
        name: "InvalidInput",
        code: "invalid_webhook_url",
        param: "webhook_url",
      });
    }
    await expect(submitJob(principal, { prompt: "x", webhook_events_filter: ["completed"] })).rejects.toMatchObject({
      param: "webhook_events_filter",
    });
    await expect(submitJob(principal, { prompt: "x", webhook_url: "https://hooks.example.com/", webhook_events_filter: ["output"] })).rejects.toMatchObject({
      param: "webhook_events_filter.0",
    });
  });

  describe("at delivery", () => {
    let receiver: Receiver | undefined;
    let deliverer: WebhookDeliverer | undefined;
    afterEach(async () => {
      await deliverer?.stop();
      await receiver?.close();
    });

    test("a name that resolved to a public address when saved and to loopback now is refused, and logged", async () => {
      const { account } = await createTestAccount();
      receiver = await startReceiver();
      const port = new URL(receiver.url).port;
      const url = `https://rebind.example.com:${port}/hooks`;
      const { endpoint } = await createEndpoint({ accountId: account.id, url }, { lookup: dns({ "rebind.example.com": [PUBLIC] }) });

      // The DNS answer changes: the receiver on 127.0.0.1 must never be contacted.
      const post = createSafePoster({ lookup: dns({ "rebind.example.com": ["127.0.0.1"] }), timeoutMs: 2_000 });
      deliverer = new WebhookDeliverer({ pollMs: 20, retryScheduleMs: [] }, { post });
      await deliverer.start();
      await sendTestEvent({ accountId: account.id, endpointId: endpoint.id });
      const [listed] = await eventually(async () => {
        const { deliveries } = await listDeliveries({ accountId: account.id, limit: 1 });
        return deliveries[0]?.status === "failed" ? deliveries : undefined;
      });
      const delivery = await getDelivery({ accountId: account.id, deliveryId: listed!.id });
      expect(delivery.attemptLog).toHaveLength(1);
      expect(delivery.attemptLog[0]).toMatchObject({ statusCode: null, error: '"rebind.example.com" resolves to a loopback address.' });
      expect(receiver.received).toHaveLength(0);
    });

    test("the default poster refuses loopback without EASEL_ALLOW_PRIVATE_WEBHOOKS, even plain http to 127.0.0.1", async () => {
      receiver = await startReceiver();
      const post = createSafePoster({ timeoutMs: 2_000 });
      await expect(post(receiver.url, { headers: {}, body: "{}" })).rejects.toThrow("must use https");
      const https = receiver.url.replace("http:", "https:");
      await expect(post(https, { headers: {}, body: "{}" })).rejects.toThrow("is a loopback address");
      const allowed = createSafePoster({ allowPrivate: true, timeoutMs: 2_000 });
      await expect(allowed(receiver.url, { headers: {}, body: "{}" })).resolves.toMatchObject({ status: 200 });
      expect(receiver.received).toHaveLength(1);
    });
  });
});

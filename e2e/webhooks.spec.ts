import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { startReceiver, type Receiver } from "../lib/testing/webhook-receiver";
import { SignUpPage } from "./pages/auth-pages";
import { DashboardHeader } from "./pages/dashboard";
import { WebhooksPage } from "./pages/webhooks";

// A receiver on 127.0.0.1 (the e2e server allows private webhooks): the app's own worker
// delivers to it, and the test verifies what arrives as a receiver would.
let receiver: Receiver;
test.beforeEach(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: "ok" }));
});
test.afterEach(async () => {
  await receiver.close();
});

test("add an endpoint, submit a job, see its delivery in the log, and redeliver it", async ({ page, baseURL }) => {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp({ email: `webhooks-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/compose");

  await new DashboardHeader(page).open("Webhooks");
  await page.waitForURL("**/webhooks");
  const webhooks = new WebhooksPage(page);
  await expect(page.getByTestId("endpoints-empty")).toBeVisible();
  const secret = await webhooks.addEndpoint(receiver.url, "e2e receiver");
  expect(secret).toMatch(/^whsec_/);
  await expect(webhooks.endpoint(receiver.url).getByTestId("endpoint-status")).toHaveText("enabled");

  const response = await page.request.post("/v1/images/generations", {
    headers: { origin: baseURL ?? "" },
    data: { model: "minimax-image-01", prompt: "a lighthouse that calls back" },
  });
  expect(response.status()).toBe(202);
  const job = (await response.json()) as { id: string };

  await webhooks.expectDelivered("job.succeeded", 1);
  await webhooks.expectDelivered("job.started", 1);
  const succeeded = receiver.received.filter((r) => JSON.parse(r.body).type === "job.succeeded");
  expect(succeeded).toHaveLength(1);
  const payload = new Webhook(secret).verify(succeeded[0]!.body, receiver.headersOf(succeeded[0]!)) as { data: { id: string; charged_amount: number } };
  expect(payload.data).toMatchObject({ id: job.id, charged_amount: 0.005 });

  await webhooks.redeliver("job.succeeded");
  await webhooks.expectDelivered("job.succeeded", 2);
  await expect(await webhooks.attempts("job.succeeded")).toHaveCount(2);
  const again = receiver.received.filter((r) => JSON.parse(r.body).type === "job.succeeded");
  expect(again).toHaveLength(2);
  expect(again[1]!.headers["webhook-id"]).toBe(again[0]!.headers["webhook-id"]);
  new Webhook(secret).verify(again[1]!.body, receiver.headersOf(again[1]!));

  // A rotated secret signs beside the old one: a receiver holding either accepts the test event.
  const rotated = await webhooks.rotateSecret(receiver.url);
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await webhooks.endpoint(receiver.url).getByTestId("send-test-event").click();
  await webhooks.expectDelivered("webhook.test", 1);
  const [test] = receiver.received.filter((r) => JSON.parse(r.body).type === "webhook.test");
  for (const key of [secret, rotated]) new Webhook(key).verify(test!.body, receiver.headersOf(test!));
});

// At least once across a crash: a worker process killed with SIGKILL between claiming a
// delivery and finishing it leaves the delivery leased; once the lease runs out another
// deliverer sends it again, with the same webhook-id. Postgres only (worker processes).
import "@/lib/testing/isolated-database";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, test } from "vitest";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { startReceiver } from "@/lib/testing/webhook-receiver";
import { listDeliveries } from "./deliveries";
import { WebhookDeliverer } from "./deliverer";
import { createEndpoint } from "./endpoints";

let cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** `npm run worker`, as an operator starts it; resolves once its deliverer is listening. */
async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn("node", ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanups.push(() => void (child.exitCode === null && child.kill("SIGKILL")));
  let output = "";
  await eventually(
    async () => {
      output += child.stdout?.read()?.toString() ?? "";
      if (child.exitCode !== null) throw new Error(`worker exited early: ${output}`);
      return output.includes("webhook deliverer started") ? true : undefined;
    },
    30_000,
    "the worker process to start",
  );
  child.stdout?.resume();
  return child;
}

describe.runIf(process.env.DATABASE_URL)("webhook deliverers in worker processes", () => {
  test("SIGKILL mid-delivery: delivered again after the lease, with the same webhook-id", { timeout: 120_000 }, async () => {
    process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS = "1";
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    // The first attempt never gets an answer: the worker is killed while it waits.
    const hooks = await startReceiver((_, index) => (index === 0 ? "hang" : { status: 200 }));
    cleanups.push(() => hooks.close());
    const { secret } = await createEndpoint({ accountId: account.id, url: hooks.url, eventTypes: ["job.succeeded"] });

    const worker = await startWorkerProcess({ EASEL_WEBHOOK_LEASE_MS: "2000", EASEL_WEBHOOK_TIMEOUT_MS: "60000" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "delivered across a crash" });
    await eventually(async () => (hooks.received.length === 1 ? true : undefined), 30_000, "the first attempt");
    worker.kill("SIGKILL");
    await once(worker, "exit");

    const survivor = new WebhookDeliverer({ pollMs: 50, leaseMs: 2_000 });
    await survivor.start();
    cleanups.push(() => survivor.stop());
    const delivery = await eventually(async () => {
      const [d] = (await listDeliveries({ accountId: account.id, limit: 1 })).deliveries;
      return d?.status === "succeeded" ? d : undefined;
    }, 30_000);

    expect(hooks.received).toHaveLength(2);
    const [first, second] = hooks.received;
    expect(first!.headers["webhook-id"]).toBe(delivery.eventId);
    expect(second!.headers["webhook-id"]).toBe(delivery.eventId);
    for (const request of hooks.received) new Webhook(secret).verify(request.body, hooks.headersOf(request));
    expect(JSON.parse(second!.body)).toMatchObject({ type: "job.succeeded", data: { id: job.id, status: "succeeded" } });
    // The killed attempt was never finished, so only the one that was is logged.
    expect(delivery.attemptLog.map((a) => a.statusCode)).toEqual([200]);
    // The second came only once the first deliverer's lease had run out.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_500);
  });
});

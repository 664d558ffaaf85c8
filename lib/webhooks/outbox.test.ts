// The outbox: an event is written exactly when the change it reports commits — never without
// it, never twice — with one delivery per enabled, subscribed endpoint. On Postgres the file has
// a database of its own: it claims and sweeps jobs.
import "@/lib/testing/isolated-database";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { getDb, withTransaction } from "@/db/client";
import { webhookDeliveries, webhookEvents } from "@/db/schema";
import { cancelJob } from "@/lib/jobs/cancel";
import { claimJobs, handBack } from "@/lib/jobs/claim";
import { queueConfig } from "@/lib/jobs/config";
import { finishJob } from "@/lib/jobs/finish";
import { sweep } from "@/lib/jobs/sweeper";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { createEndpoint, deleteEndpoint, updateEndpoint } from "./endpoints";
import { recordBalanceLowEvent } from "./outbox";

process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS = "1";

async function eventsOf(accountId: string) {
  const db = await getDb();
  const events = await db.select().from(webhookEvents).where(eq(webhookEvents.accountId, accountId));
  const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.accountId, accountId));
  return { types: events.map((e) => e.type).sort(), events, deliveries };
}

async function accountWithEndpoint() {
  const test = await createTestAccount({ creditUsd: "1" });
  const { endpoint } = await createEndpoint({ accountId: test.account.id, url: "http://127.0.0.1:9/hooks" });
  return { ...test, endpoint };
}

describe("the webhook outbox", () => {
  test("an ending that rolls back writes no event; one that commits writes it once", async () => {
    const { account, principal, endpoint } = await accountWithEndpoint();
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "rolled back" });
    const crash = new Error("crash before commit");
    await expect(
      withTransaction(async (tx) => {
        expect(await finishJob(tx, { jobId: job.id, from: { statuses: ["queued"] }, to: "canceled", chargeMicros: 0n })).not.toBeNull();
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect((await eventsOf(account.id)).types).toEqual([]);

    await cancelJob({ accountId: account.id, jobId: job.id });
    await expect(cancelJob({ accountId: account.id, jobId: job.id })).rejects.toMatchObject({ code: "job_not_cancelable" });
    const { types, events, deliveries } = await eventsOf(account.id);
    expect(types).toEqual(["job.canceled"]);
    expect(events[0]!.data).toMatchObject({ id: job.id, status: "canceled", charged_amount: 0, released_amount: 0.005 });
    expect(deliveries).toMatchObject([{ eventId: events[0]!.id, endpointId: endpoint.id, status: "pending" }]);
  });

  test("job.started is written with the first claim only; a job requeued and claimed again is not started twice", async () => {
    const { account, principal } = await accountWithEndpoint();
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "claimed twice" });
    const first = await claimJobs({ workerId: "wkr_a", limit: 100, leaseMs: 60_000 });
    expect(first.map((j) => j.id)).toContain(job.id);
    expect((await eventsOf(account.id)).types).toEqual(["job.started"]);
    await handBack({ workerId: "wkr_a", jobIds: first.map((j) => j.id) });
    const second = await claimJobs({ workerId: "wkr_b", limit: 100, leaseMs: 60_000 });
    expect(second.map((j) => j.id)).toContain(job.id);
    expect((await eventsOf(account.id)).types).toEqual(["job.started"]);
    await handBack({ workerId: "wkr_b", jobIds: second.map((j) => j.id) });
  });

  test("the sweeper's expiry writes job.expired; a failure job.failed", async () => {
    const { account, principal } = await accountWithEndpoint();
    const stale = await submitJob(principal, { model: "minimax-image-01", prompt: "waits too long" });
    const failing = await submitJob(principal, { model: "minimax-image-01", prompt: "fails" });
    await withTransaction((tx) =>
      finishJob(tx, { jobId: failing.id, from: { statuses: ["queued"] }, to: "failed", chargeMicros: 0n, error: { code: "x", message: "y" } }),
    );
    await sweep({ ...queueConfig(), queuedTtlMs: 0 });
    const { events } = await eventsOf(account.id);
    expect(events.map((e) => [e.jobId, e.type]).sort()).toEqual(
      [
        [stale.id, "job.expired"],
        [failing.id, "job.failed"],
      ].sort(),
    );
  });

  test("disabled and deleted endpoints get no deliveries, and an event nobody receives is not written", async () => {
    const { account, principal, endpoint } = await accountWithEndpoint();
    const { endpoint: other } = await createEndpoint({ accountId: account.id, url: "http://127.0.0.1:9/other" });
    await updateEndpoint({ accountId: account.id, endpointId: endpoint.id, enabled: false });
    const one = await submitJob(principal, { model: "minimax-image-01", prompt: "one" });
    await cancelJob({ accountId: account.id, jobId: one.id });
    expect((await eventsOf(account.id)).deliveries.map((d) => d.endpointId)).toEqual([other.id]);

    await deleteEndpoint({ accountId: account.id, endpointId: other.id });
    const two = await submitJob(principal, { model: "minimax-image-01", prompt: "two" });
    await cancelJob({ accountId: account.id, jobId: two.id });
    const { events } = await eventsOf(account.id);
    expect(events.map((e) => e.jobId)).toEqual([one.id]);
  });

  test("another account's endpoint never hears of this account's jobs", async () => {
    const mine = await createTestAccount({ creditUsd: "1" });
    const theirs = await accountWithEndpoint();
    const job = await submitJob(mine.principal, { model: "minimax-image-01", prompt: "private" });
    await cancelJob({ accountId: mine.account.id, jobId: job.id });
    expect((await eventsOf(theirs.account.id)).deliveries).toEqual([]);
    expect((await eventsOf(mine.account.id)).events).toEqual([]);
  });

  test("a request's webhook_url with filter [started] hears the start, not the end", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const url = "http://127.0.0.1:9/mine";
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "start only", webhook_url: url, webhook_events_filter: ["started"] });
    const claimed = await claimJobs({ workerId: "wkr_c", limit: 100, leaseMs: 60_000 });
    expect(claimed.map((j) => j.id)).toContain(job.id);
    await withTransaction((tx) =>
      finishJob(tx, { jobId: job.id, from: { statuses: ["processing"], leaseOwner: "wkr_c" }, to: "failed", chargeMicros: 0n }),
    );
    const { types, deliveries } = await eventsOf(account.id);
    expect(types).toEqual(["job.started"]); // no endpoint and no filter for the end: nothing written
    expect(deliveries).toMatchObject([{ endpointId: null, url }]);
    await handBack({ workerId: "wkr_c", jobIds: claimed.map((j) => j.id) });
  });

  test("balance.low carries the balance and the threshold", async () => {
    const { account } = await accountWithEndpoint();
    await withTransaction((tx) =>
      recordBalanceLowEvent(tx, { accountId: account.id, balanceMicros: 1_500_000n, heldMicros: 500_000n, thresholdMicros: 2_000_000n }),
    );
    const { events, deliveries } = await eventsOf(account.id);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["balance.low", { object: "balance", account_id: account.id, balance: 1.5, held: 0.5, available: 1, threshold: 2 }],
    ]);
    expect(deliveries).toHaveLength(1);
  });
});

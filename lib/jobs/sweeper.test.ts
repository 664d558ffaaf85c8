import "@/lib/testing/isolated-database";
import { afterEach, describe, expect, test } from "vitest";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { listLedgerEntries } from "@/lib/billing/statement";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { claimJobs, renewLeases } from "./claim";
import { queueConfig } from "./config";
import { getJob } from "./queries";
import { sweep } from "./sweeper";

afterEach(() => assertLedgerInvariants());

const config = (overrides: Partial<ReturnType<typeof queueConfig>> = {}) => ({ ...queueConfig(), ...overrides });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker that claims and then dies: its lease simply runs out. */
async function claimAndDie(workerId = "wkr_dead") {
  const claimed = await claimJobs({ workerId, limit: 100, leaseMs: 1 });
  await pause(20);
  return claimed;
}

describe("the sweeper", () => {
  test("requeues a job whose worker's lease ran out", async () => {
    const { account, principal } = await createTestAccount();
    const job = await submitJob(principal, { prompt: "orphan" });
    expect((await claimAndDie()).map((j) => j.id)).toEqual([job.id]);

    expect(await sweep(config())).toMatchObject({ requeued: 1, failed: 0 });
    expect(await getJob({ accountId: account.id, jobId: job.id })).toMatchObject({ status: "queued", attempts: 1, leaseOwner: null });
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(54_000n);
  });

  test("fails and releases a job whose workers died maxAttempts times", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { prompt: "cursed", n: 2 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await claimAndDie(`wkr_dead_${attempt}`);
      await sweep(config({ maxAttempts: 3 }));
    }
    const ended = await getJob({ accountId: account.id, jobId: job.id });
    expect(ended).toMatchObject({ status: "failed", errorCode: "worker_lost", attempts: 3, chargedMicros: 0n });
    expect((await getBalance({ accountId: account.id }))!).toMatchObject({ balanceMicros: 1_000_000n, heldMicros: 0n });
  });

  test("does not touch a job whose worker is alive and renewing its lease", async () => {
    const { account, principal } = await createTestAccount();
    const job = await submitJob(principal, { prompt: "alive" });
    await claimJobs({ workerId: "wkr_alive", limit: 1, leaseMs: 60_000 });
    expect(await renewLeases({ workerId: "wkr_alive", jobIds: [job.id], leaseMs: 60_000 })).toEqual(new Set([job.id]));
    expect(await sweep(config())).toEqual({ requeued: 0, failed: 0, expired: 0 });
    expect((await getJob({ accountId: account.id, jobId: job.id })).status).toBe("processing");
  });

  test("expires a job queued past its TTL and releases its hold", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { prompt: "forgotten" });
    await pause(10);
    // (Jobs left by earlier tests of this file may expire too; this one must.)
    expect((await sweep(config({ queuedTtlMs: 5 }))).expired).toBeGreaterThanOrEqual(1);
    expect(await getJob({ accountId: account.id, jobId: job.id })).toMatchObject({ status: "expired", errorCode: "queue_timeout" });
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(0n);
  });

  test("expires a job processing past the deadline; the worker's lease is gone with it", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { prompt: "too slow" });
    await claimJobs({ workerId: "wkr_slow", limit: 1, leaseMs: 60_000 });
    await pause(10);
    expect((await sweep(config({ deadlineMs: 5 }))).expired).toBeGreaterThanOrEqual(1);
    expect(await getJob({ accountId: account.id, jobId: job.id })).toMatchObject({ status: "expired", errorCode: "deadline_exceeded" });
    expect(await renewLeases({ workerId: "wkr_slow", jobIds: [job.id], leaseMs: 60_000 })).toEqual(new Set());
  });

  test("sweepers racing each other settle every job exactly once", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "5" });
    const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => submitJob(principal, { prompt: `pile ${i}` })));
    await claimAndDie();
    await Promise.all(Array.from({ length: 4 }, () => sweep(config({ maxAttempts: 1 }))));
    for (const job of jobs) {
      expect((await getJob({ accountId: account.id, jobId: job.id })).status).toBe("failed");
      expect(await listLedgerEntries({ accountId: account.id, jobId: job.id, type: "release" })).toHaveLength(1);
    }
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(0n);
  });
});

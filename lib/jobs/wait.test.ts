// Waiting for a job to end: woken by the database's announcement, not by polling, and without
// holding a database connection while the job runs.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connect } from "@/db/client";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { cancelJob } from "./cancel";
import { waitForJobEnd, waitingCount } from "./wait";
import { JobWorker } from "./worker";

let worker: JobWorker;
beforeAll(async () => {
  worker = new JobWorker({ concurrency: 256, pollMs: 60_000 });
  await worker.start();
});
afterAll(() => worker.stop(0));

describe("waiting for a job", () => {
  test("a job that finishes within the wait answers ended, with its charge", async () => {
    const { principal } = await createTestAccount();
    const job = await submitJob(principal, { prompt: "a lighthouse [[easel:latency=300]]" });
    const ended = await waitForJobEnd({ accountId: principal.accountId, jobId: job.id, timeoutMs: 20_000 });
    expect(ended.status).toBe("succeeded");
    expect(ended.chargedMicros).toBe(job.estimatedMicros);
    expect(waitingCount()).toBe(0);
  });

  test("a job still running when the wait is over answers as it stands", async () => {
    const { principal } = await createTestAccount();
    const job = await submitJob(principal, { prompt: "a lighthouse [[easel:latency=5000]]" });
    const started = performance.now();
    const current = await waitForJobEnd({ accountId: principal.accountId, jobId: job.id, timeoutMs: 500 });
    expect(["queued", "processing"]).toContain(current.status);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    await cancelJob({ accountId: principal.accountId, jobId: job.id });
  });

  test("the wait ends the moment the job ends, however it ends (here a cancel)", async () => {
    const { principal } = await createTestAccount();
    const job = await submitJob(principal, { prompt: "a lighthouse [[easel:latency=60000]]" });
    const waiting = waitForJobEnd({ accountId: principal.accountId, jobId: job.id, timeoutMs: 30_000 });
    setTimeout(() => void cancelJob({ accountId: principal.accountId, jobId: job.id }), 200);
    const started = performance.now();
    await expect(waiting).resolves.toMatchObject({ status: "canceled", chargedMicros: 0n });
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  test("someone else's job is not found, waiting or not", async () => {
    const { principal } = await createTestAccount();
    const other = await createTestAccount();
    const job = await submitJob(principal, { prompt: "mine [[easel:latency=0]]" });
    await expect(waitForJobEnd({ accountId: other.principal.accountId, jobId: job.id, timeoutMs: 100 })).rejects.toMatchObject({ code: "job_not_found" });
  });

  test("an aborted wait (the client went away) returns at once", async () => {
    const { principal } = await createTestAccount();
    const job = await submitJob(principal, { prompt: "slow [[easel:latency=60000]]" });
    const controller = new AbortController();
    const waiting = waitForJobEnd({ accountId: principal.accountId, jobId: job.id, timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(waiting).resolves.toMatchObject({ id: job.id });
    await cancelJob({ accountId: principal.accountId, jobId: job.id });
  });

  test.runIf(process.env.DATABASE_URL)("200 waiting callers hold no more connections than the pool", async () => {
    const { principal } = await createTestAccount({ creditUsd: "50" });
    const jobs = await Promise.all(Array.from({ length: 200 }, () => submitJob(principal, { prompt: "wait [[easel:latency=1500]]" })));
    const waits = jobs.map((job) => waitForJobEnd({ accountId: principal.accountId, jobId: job.id, timeoutMs: 30_000 }));
    const { pg } = await connect();
    let peak = 0;
    const sampling = setInterval(async () => {
      const [row] = await pg!`select count(*)::int as n from pg_stat_activity where datname = current_database()`;
      peak = Math.max(peak, row!.n as number);
    }, 50);
    try {
      const ended = await Promise.all(waits);
      expect(ended.every((job) => job.status === "succeeded")).toBe(true);
    } finally {
      clearInterval(sampling);
    }
    const pool = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    // The pool, the one LISTEN connection; nothing per waiting caller.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(pool + 1);
  });
});

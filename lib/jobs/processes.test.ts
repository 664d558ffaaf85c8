// Real worker processes against one Postgres database: what PGlite (one process, one
// connection) cannot show. CI runs this file on Postgres.
import "@/lib/testing/isolated-database";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { and, count, eq, gt, sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import { jobImages, jobs, ledgerEntries } from "@/db/schema";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob, waitForStatus } from "@/lib/testing/jobs";
import { startQueueProcessing, type QueueRuntime } from "./runtime";

let children: ChildProcess[] = [];
let runtimes: QueueRuntime[] = [];
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(runtimes.map((runtime) => runtime.stop(0)));
  children = [];
  runtimes = [];
});

/** `npm run worker`, as an operator starts it; resolves once it is listening for jobs. */
async function startWorkerProcess(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn("node", ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let output = "";
  await eventually(
    async () => {
      output += child.stdout?.read()?.toString() ?? "";
      if (child.exitCode !== null) throw new Error(`worker exited early: ${output}`);
      return output.includes("worker started") ? true : undefined;
    },
    30_000,
    "the worker process to start",
  );
  child.stdout?.resume(); // keep draining its logs
  return child;
}

async function countWhere(condition: ReturnType<typeof and>) {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(jobs).where(condition);
  return row!.n;
}

describe.runIf(process.env.DATABASE_URL)("worker processes on Postgres", () => {
  test("two worker processes and 1,000 jobs: every job processed exactly once", { timeout: 300_000 }, async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "10" });
    const submitted = [];
    for (let batch = 0; batch < 10; batch++) {
      submitted.push(
        ...(await Promise.all(
          Array.from({ length: 100 }, (_, i) => submitJob(principal, { model: "minimax-image-01", prompt: `batch ${batch} job ${i}` })),
        )),
      );
    }
    expect(submitted).toHaveLength(1000);
    // Production leases: this test is about claiming, and a heartbeat stalled by CI load is not a
    // double claim. Only a job handed to two workers at once can count a second attempt.
    const productionQueue = { EASEL_LEASE_MS: "30000", EASEL_HEARTBEAT_MS: "1500" };
    await Promise.all([startWorkerProcess(productionQueue), startWorkerProcess(productionQueue)]);

    await eventually(
      async () => ((await countWhere(eq(jobs.status, "succeeded"))) === 1000 ? true : undefined),
      240_000,
      "1,000 jobs to succeed",
    );
    expect(await countWhere(gt(jobs.attempts, 1))).toBe(0); // nobody claimed a job twice
    const db = await getDb();
    const [images] = await db.select({ n: count() }).from(jobImages);
    expect(images!.n).toBe(1000);
    const [charges] = await db
      .select({ n: count(), total: sql<string>`sum(${ledgerEntries.amountMicros})` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.accountId, account.id), eq(ledgerEntries.type, "charge")));
    expect(charges!.n).toBe(1000);
    expect(BigInt(charges!.total)).toBe(5_000_000n); // 1,000 × $0.005
    await assertLedgerInvariants();
  });

  test("a worker killed with SIGKILL mid-job: the sweeper recovers every job, none charged twice", { timeout: 120_000 }, async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const victims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => submitJob(principal, { prompt: `victim ${i} [[easel:latency=2500]]` })),
    );
    const worker = await startWorkerProcess({ EASEL_WORKER_CONCURRENCY: "8" });
    await Promise.all(victims.map((job) => waitForStatus(principal, job.id, "processing")));
    worker.kill("SIGKILL");
    await once(worker, "exit");

    runtimes.push(await startQueueProcessing()); // a surviving worker and its sweeper
    await eventually(
      async () => ((await countWhere(and(eq(jobs.accountId, account.id), eq(jobs.status, "succeeded")))) === 6 ? true : undefined),
      60_000,
      "the killed worker's jobs to be recovered",
    );
    const db = await getDb();
    for (const job of victims) {
      const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
      expect(row).toMatchObject({ status: "succeeded", attempts: 2, chargedMicros: 54_000n });
      const charges = await db
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.jobId, job.id), eq(ledgerEntries.type, "charge")));
      expect(charges).toHaveLength(1);
    }
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("SIGTERM: the worker finishes what it can within its grace and hands back the rest", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const quick = await submitJob(principal, { prompt: "quick [[easel:latency=600]]" });
    const endless = await submitJob(principal, { prompt: "endless [[easel:latency=60000]]" });
    const worker = await startWorkerProcess({ EASEL_WORKER_GRACE_MS: "2000" });
    await waitForStatus(principal, quick.id, "processing");
    await waitForStatus(principal, endless.id, "processing");
    worker.kill("SIGTERM");
    const [code] = await once(worker, "exit");
    expect(code).toBe(0);

    const db = await getDb();
    const [finished] = await db.select().from(jobs).where(eq(jobs.id, quick.id));
    const [handedBack] = await db.select().from(jobs).where(eq(jobs.id, endless.id));
    expect(finished!.status).toBe("succeeded");
    expect(handedBack).toMatchObject({ status: "queued", leaseOwner: null, chargedMicros: null });
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("connections terminated again and again while jobs flow: the worker lives, reconnects, and finishes every job once", { timeout: 240_000 }, async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "10" });
    const worker = await startWorkerProcess({ EASEL_WORKER_CONCURRENCY: "32", EASEL_LEASE_MS: "30000", PGAPPNAME: "easel-worker-under-fire" });
    let exited: number | null = null;
    worker.on("exit", (code) => (exited = code));

    const { default: postgres } = await import("postgres");
    const killer = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    let killing = true;
    let kills = 0;
    const terminator = (async () => {
      while (killing) {
        // Every backend of the worker process: its pool, its LISTEN connection, its migrator.
        const ended = await killer`select pg_terminate_backend(pid) from pg_stat_activity
                                   where datname = current_database() and pid <> pg_backend_pid()
                                     and application_name = 'easel-worker-under-fire'`;
        kills += ended.length;
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 200));
      }
    })();

    const retrying = async <T>(work: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const submitted = [];
    for (let i = 0; i < 150; i++) {
      submitted.push(await retrying(() => submitJob(principal, { model: "minimax-image-01", prompt: `terminated ${i} [[easel:latency=100]]` })));
    }
    try {
      await eventually(
        async () => {
          if (exited !== null) throw new Error(`the worker died (exit code ${exited})`);
          const done = await retrying(() => countWhere(and(eq(jobs.accountId, account.id), eq(jobs.status, "succeeded"))));
          return done === submitted.length ? true : undefined;
        },
        180_000,
        "every job to succeed while connections are terminated",
      );
    } finally {
      killing = false;
      await terminator;
      await killer.end();
    }
    expect(kills).toBeGreaterThan(20);
    expect(exited).toBeNull(); // alive all along
    expect(worker.exitCode).toBeNull();

    const db = await getDb();
    const charges = await db
      .select({ jobId: ledgerEntries.jobId, n: count() })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.accountId, account.id), eq(ledgerEntries.type, "charge")))
      .groupBy(ledgerEntries.jobId);
    expect(charges).toHaveLength(submitted.length);
    expect(charges.every((row) => row.n === 1)).toBe(true); // none settled twice
    await assertLedgerInvariants({ accountId: account.id });

    // And it still works the queue, woken by LISTEN again: a new job is claimed at once.
    const late = await submitJob(principal, { prompt: "after the storm" });
    await waitForStatus(principal, late.id, "succeeded", 30_000);
  });
});

// The database failing under the queue: its connections terminated mid-settlement, the whole
// server gone and back (a TCP proxy the test cuts and restores, standing in for a Postgres
// restart), and a statement timeout on the hold. Each time: no job lost or settled twice, the
// ledger's invariants intact, queued jobs resume, and no process dies. Postgres only.
import "@/lib/testing/isolated-database";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { connect, disconnect, getDb } from "@/db/client";
import { jobs, ledgerEntries } from "@/db/schema";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob, waitForStatus } from "@/lib/testing/jobs";
import { startTcpProxy, type TcpProxy } from "@/lib/testing/tcp-proxy";
import { spawnWorker, type WorkerProcess } from "@/lib/testing/worker-process";

let cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const direct = () => process.env.DATABASE_URL!;

async function admin() {
  const { default: postgres } = await import("postgres");
  const sql = postgres(direct(), { max: 2, onnotice: () => {} });
  cleanups.push(() => sql.end());
  return sql;
}

async function worker(env: Record<string, string>): Promise<WorkerProcess> {
  const started = await spawnWorker(env, { waitFor: "worker started" });
  cleanups.push(() => void (started.child.exitCode === null && started.child.kill("SIGKILL")));
  return started;
}

/** Retries what fails while the database is away (the app's caller would retry too). */
async function retrying<T>(work: () => Promise<T>, attempts = 100): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function chargesPerJob(accountId: string) {
  const db = await getDb();
  return db
    .select({ jobId: ledgerEntries.jobId, n: count() })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.accountId, accountId), eq(ledgerEntries.type, "charge")))
    .groupBy(ledgerEntries.jobId);
}

describe.runIf(process.env.DATABASE_URL)("database faults", () => {
  test("the worker's connections terminated in the middle of its settlements: each job settles once, the worker lives", { timeout: 120_000 }, async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const submitted = await Promise.all(Array.from({ length: 10 }, (_, i) => submitJob(principal, { model: "minimax-image-01", prompt: `mid-settlement ${i}` })));
    const sql = await admin();

    // The account's row locked: the worker's settlements get as far as the money and wait there.
    const locked = sql.reserve();
    const holder = await locked;
    cleanups.push(() => holder.release());
    await holder`begin`;
    await holder`select 1 from credit_accounts where id = ${account.id} for update`;

    const victim = await worker({ PGAPPNAME: "easel-worker-mid-settlement", EASEL_LEASE_MS: "30000" });
    const waiting = async () =>
      sql`select pid from pg_stat_activity where application_name = 'easel-worker-mid-settlement' and wait_event_type = 'Lock'`;
    await eventually(async () => ((await waiting()).length > 0 ? true : undefined), 30_000, "a settlement waiting on the account");
    const terminated = await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'easel-worker-mid-settlement' and wait_event_type = 'Lock'`;
    expect(terminated.length).toBeGreaterThan(0);
    await holder`rollback`;

    const ids = submitted.map((job) => job.id);
    const db = await getDb();
    await eventually(
      async () => {
        const [done] = await db.select({ n: count() }).from(jobs).where(and(inArray(jobs.id, ids), eq(jobs.status, "succeeded")));
        return done!.n === ids.length ? true : undefined;
      },
      // Well inside the 30 s lease: the worker retries the settlement itself, not the sweeper.
      15_000,
      "every job to settle after its settlement's connection was terminated",
    );
    expect(victim.child.exitCode).toBeNull();
    expect(victim.output()).toContain("settlement failed; trying again"); // the terminated one, tried again
    expect(victim.output()).not.toMatch(/uncaught|unhandled rejection/i);
    const charges = await chargesPerJob(account.id);
    expect(charges).toHaveLength(ids.length);
    expect(charges.every((row) => row.n === 1)).toBe(true);
    expect((await getBalance({ accountId: account.id }))!).toMatchObject({ balanceMicros: 950_000n, heldMicros: 0n });
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("Postgres gone and back with 100 jobs in flight: the app and the worker reconnect by themselves, every job settles once", { timeout: 180_000 }, async () => {
    const proxy: TcpProxy = await startTcpProxy({ host: new URL(direct()).hostname, port: Number(new URL(direct()).port || 5432) });
    cleanups.push(() => proxy.close());
    // This process is the app: its connection, too, goes through the proxy from here on.
    const base = direct();
    await disconnect();
    process.env.DATABASE_URL = proxy.urlFor(base);
    cleanups.push(async () => {
      await disconnect();
      process.env.DATABASE_URL = base;
    });
    await connect();

    const { account, principal } = await createTestAccount({ creditUsd: "10" });
    const submitted = await Promise.all(
      Array.from({ length: 100 }, (_, i) => submitJob(principal, { model: "minimax-image-01", prompt: `restart ${i} [[easel:latency=800]]` })),
    );
    // Polling rarely, so that the job submitted after the restart is found by LISTEN, listening again.
    const survivor = await worker({ DATABASE_URL: proxy.urlFor(base), EASEL_WORKER_CONCURRENCY: "50", EASEL_LEASE_MS: "10000", EASEL_WORKER_POLL_MS: "60000" });
    const db = await getDb();
    const ids = submitted.map((job) => job.id);
    await eventually(
      async () => {
        const [running] = await db.select({ n: count() }).from(jobs).where(and(inArray(jobs.id, ids), eq(jobs.status, "processing")));
        return running!.n >= 20 ? true : undefined;
      },
      30_000,
      "jobs in flight",
    );

    const connectionsBefore = proxy.connections;
    proxy.cut(); // the restart: every connection of the app and the worker dropped, none accepted
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    proxy.restore();

    await retrying(async () => {
      await eventually(
        async () => {
          const [done] = await db.select({ n: count() }).from(jobs).where(and(inArray(jobs.id, ids), eq(jobs.status, "succeeded")));
          return done!.n === ids.length ? true : undefined;
        },
        90_000,
        "all 100 jobs to succeed after the restart",
      );
    }, 3);
    // Both reconnected without a restart of their own: the app accepts a job, the worker is woken for it.
    const late = await retrying(() => submitJob(principal, { model: "minimax-image-01", prompt: "after the restart" }));
    await waitForStatus(principal, late.id, "succeeded", 20_000);

    expect(survivor.child.exitCode).toBeNull();
    expect(survivor.output()).not.toMatch(/uncaught/i);
    expect(proxy.connections).toBeGreaterThan(connectionsBefore); // connected anew, by themselves
    const charges = await chargesPerJob(account.id);
    expect(charges).toHaveLength(ids.length + 1);
    expect(charges.every((row) => row.n === 1)).toBe(true);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a statement timeout on the hold: nothing is held or queued, and the retry is accepted once", { timeout: 60_000 }, async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const sql = await admin();
    const [{ db: name }] = (await sql`select current_database() as db`) as unknown as [{ db: string }];
    // New connections of the app time out after 300 ms; this process reconnects to take it.
    await sql.unsafe(`alter database "${name}" set statement_timeout = '300ms'`);
    cleanups.push(async () => {
      await sql.unsafe(`alter database "${name}" reset statement_timeout`);
      await disconnect();
    });
    await disconnect();
    await connect();

    const holder = await sql.reserve();
    cleanups.push(() => holder.release());
    await holder`set statement_timeout = 0`;
    await holder`begin`;
    await holder`select 1 from credit_accounts where id = ${account.id} for update`;
    const body = { model: "minimax-image-01", prompt: "timed out", idempotency_key: "hold-timeout" };
    const refused = await submitJob(principal, body).catch((error: unknown) => error);
    // 57014: canceled by the statement timeout (drizzle wraps the driver's error as its cause).
    expect(refused).toMatchObject({ cause: { code: "57014" } });
    await holder`rollback`;

    const db = await getDb();
    const [none] = await db.select({ n: count() }).from(jobs).where(eq(jobs.accountId, account.id));
    expect(none!.n).toBe(0);
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(0n);

    const job = await submitJob(principal, body);
    expect((await submitJob(principal, body)).id).toBe(job.id); // the retry's retry: the same job
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(5_000n);
    await assertLedgerInvariants({ accountId: account.id });
  });
});

// A worker process SIGKILLed at each named step of a job's life (lib/jobs/crash-points.ts): a
// restarted worker and its sweeper recover every job — none lost, none charged twice, every
// hold settled, every image's file recorded once with its bytes, every webhook delivered, and
// the bytes a dead worker stored but never recorded deleted by the sweep of unrecorded outputs.
// Postgres only (real worker processes); each step takes a few seconds.
import "@/lib/testing/isolated-database";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import { files, holds, jobImages, jobs, ledgerEntries, webhookDeliveries } from "@/db/schema";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { readFileBytes } from "@/lib/storage/files";
import { sweepUnrecordedOutputs } from "@/lib/storage/unrecorded-outputs";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { startReceiver } from "@/lib/testing/webhook-receiver";
import { spawnWorker, type WorkerProcess } from "@/lib/testing/worker-process";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { CRASH_STEPS } from "./crash-points";
import { startQueueProcessing, type QueueRuntime } from "./runtime";

// Files of this file's workers only, so that bytes on disk can be matched against its records.
const dataDir = process.env.DATABASE_URL ? fs.mkdtempSync(path.join(os.tmpdir(), "easel-crash-")) : "";
if (dataDir) {
  process.env.EASEL_DATA_DIR = dataDir;
  process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS = "1";
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
}

let cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const JOBS = 4;
const IMAGES = 2;

/** The ids of the output files stored under the data directory. */
function filesOnDisk(): Set<string> {
  const root = path.join(dataDir, "files", "output");
  if (!fs.existsSync(root)) return new Set();
  const ids = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).map((entry) => path.basename(entry).split(".")[0]!);
  return new Set(ids.filter((id) => id.startsWith("file_")));
}

describe.runIf(process.env.DATABASE_URL)("a worker killed at each crash point", () => {
  test.each(CRASH_STEPS)("%s: a restarted worker and the sweeper recover every job, each charged once", { timeout: 90_000 }, async (step) => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const hooks = await startReceiver();
    cleanups.push(() => hooks.close());
    await createEndpoint({ accountId: account.id, url: hooks.url, eventTypes: ["job.succeeded"] });
    const before = filesOnDisk();

    const submitted = await Promise.all(
      Array.from({ length: JOBS }, (_, i) => submitJob(principal, { model: "minimax-image-01", prompt: `crash ${step} ${i}`, n: IMAGES })),
    );
    const victim: WorkerProcess = await spawnWorker({
      EASEL_CRASH_AT: step,
      EASEL_LEASE_MS: "1500",
      EASEL_HEARTBEAT_MS: "300",
      EASEL_WEBHOOK_LEASE_MS: "1500",
      LOCAL_RENDERER_LATENCY_MS: "50",
    });
    cleanups.push(() => void (victim.child.exitCode === null && victim.child.kill("SIGKILL")));
    const exit = await Promise.race([victim.exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`never reached ${step}:\n${victim.output()}`)), 30_000))]);
    expect(exit).toEqual({ code: null, signal: "SIGKILL" });

    // A worker restarts (here in this process, with its sweeper and webhook deliverer).
    const survivor: QueueRuntime = await startQueueProcessing();
    cleanups.push(() => survivor.stop(0));
    const db = await getDb();
    const ids = submitted.map((job) => job.id);
    await eventually(
      async () => {
        const [done] = await db.select({ n: count() }).from(jobs).where(and(inArray(jobs.id, ids), eq(jobs.status, "succeeded")));
        const [sent] = await db
          .select({ n: count() })
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.accountId, account.id), eq(webhookDeliveries.status, "succeeded")));
        return done!.n === JOBS && sent!.n === JOBS ? true : undefined;
      },
      45_000,
      "every job to succeed and its webhook to be delivered",
    );

    // No job lost or charged twice; every hold settled.
    for (const id of ids) {
      const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
      expect(row).toMatchObject({ status: "succeeded", chargedMicros: 10_000n });
      const charges = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.jobId, id), eq(ledgerEntries.type, "charge")));
      expect(charges).toHaveLength(1);
    }
    const [active] = await db.select({ n: count() }).from(holds).where(and(eq(holds.accountId, account.id), eq(holds.status, "active")));
    expect(active!.n).toBe(0);
    await assertLedgerInvariants({ accountId: account.id });

    // Every image recorded once, its file recorded once, with its bytes.
    const images = await db.select().from(jobImages).where(inArray(jobImages.jobId, ids));
    expect(images).toHaveLength(JOBS * IMAGES);
    expect(new Set(images.map((image) => image.fileId)).size).toBe(JOBS * IMAGES);
    const records = await db.select().from(files).where(eq(files.accountId, account.id));
    expect(records.map((f) => f.id).sort()).toEqual(images.map((image) => image.fileId).sort());
    for (const record of records) expect(await readFileBytes(record)).not.toBeNull();

    // Bytes without a record are what the killed worker stored for jobs it never settled (any of
    // its jobs past storing when it died): invisible and never charged — at most the images of
    // the jobs it held; none when it died before running anything. A day later the sweep of
    // unrecorded outputs deletes them, and only them.
    const orphans = [...filesOnDisk()].filter((id) => !before.has(id) && !records.some((r) => r.id === id));
    if (step === "after-claim") expect(orphans).toEqual([]);
    else expect(orphans.length).toBeLessThanOrEqual(JOBS * IMAGES);
    const swept = await sweepUnrecordedOutputs({ now: new Date(Date.now() + 2 * 24 * 60 * 60 * 1000), limit: 10_000 });
    expect(swept.deleted.map((key) => path.basename(key).split(".")[0]).sort()).toEqual(orphans.sort());
    expect([...filesOnDisk()].filter((id) => !before.has(id)).sort()).toEqual(records.map((r) => r.id).sort());

    // Every webhook arrived at least once; a redelivery carries the same webhook-id.
    const sent = new Set(hooks.received.map((request) => request.headers["webhook-id"]));
    expect(sent.size).toBe(JOBS);
    if (step === "in-webhook-delivery") expect(hooks.received.length).toBeGreaterThan(JOBS);
  });
});

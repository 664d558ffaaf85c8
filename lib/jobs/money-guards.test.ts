// The money's guards, one scenario each where no other test reaches them: each test fails when
// its guard is removed (README, "What guards the money", lists which test protects which guard).
import "@/lib/testing/isolated-database";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { getDb, withTransaction } from "@/db/client";
import { files, jobs, ledgerEntries } from "@/db/schema";
import { getBalance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { readFileBytes } from "@/lib/storage/files";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { endLeftovers } from "@/lib/testing/money-model";
import { cancelJob } from "./cancel";
import { claimJobs, handBack, renewLeases } from "./claim";
import { queueConfig } from "./config";
import { executeJob } from "./execute";
import { finishJob } from "./finish";
import { getJob } from "./queries";
import { settleOrDiscard } from "./settle";
import { sweep } from "./sweeper";

// Each test claims only its own jobs: what earlier tests left active is ended first.
beforeEach(() => endLeftovers());
afterEach(() => assertLedgerInvariants());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const running = () => new AbortController().signal;

describe("a worker that lost its lease", () => {
  test("finishes late, after another worker took the job: its result is discarded, the new owner's settles once", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "contested", n: 2 });

    // Worker A claims, stalls past its lease; the sweeper requeues; worker B claims.
    const [asA] = await claimJobs({ workerId: "wkr_a", limit: 1, leaseMs: 1 });
    await pause(20);
    expect(await sweep({ ...queueConfig(), maxAttempts: 3 })).toMatchObject({ requeued: 1 });
    const [asB] = await claimJobs({ workerId: "wkr_b", limit: 1, leaseMs: 60_000 });
    expect(asB!.id).toBe(job.id);

    // A wakes up and finishes: still processing, but no longer A's.
    const late = await executeJob(asA!, running());
    expect(late.status).toBe("succeeded");
    expect(await settleOrDiscard({ workerId: "wkr_a", job: asA!, outcome: late })).toBeNull();
    expect(await getJob({ accountId: account.id, jobId: job.id })).toMatchObject({ status: "processing", leaseOwner: "wkr_b", chargedMicros: null });
    expect((await getBalance({ accountId: account.id }))!).toMatchObject({ balanceMicros: 1_000_000n, heldMicros: 10_000n });
    // Nobody sees or pays for A's images, and their bytes are gone.
    for (const image of late.status === "succeeded" ? late.images : []) expect(await readFileBytes(image.file)).toBeNull();

    // B settles: charged once, for B's images.
    const outcome = await executeJob(asB!, running());
    expect(await settleOrDiscard({ workerId: "wkr_b", job: asB!, outcome })).toMatchObject({ status: "succeeded", chargedMicros: 10_000n });
    const db = await getDb();
    const charges = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.jobId, job.id), eq(ledgerEntries.type, "charge")));
    expect(charges).toHaveLength(1);
    const stored = await db.select().from(files).where(eq(files.accountId, account.id));
    expect(stored.map((f) => f.id).sort()).toEqual((outcome.status === "succeeded" ? outcome.images.map((i) => i.file.id) : []).sort());
  });

  test("its heartbeat no longer renews the lease, and its shutdown hands nothing back", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "contested lease" });
    await claimJobs({ workerId: "wkr_a", limit: 1, leaseMs: 1 });
    await pause(20);
    await sweep({ ...queueConfig(), maxAttempts: 3 });
    await claimJobs({ workerId: "wkr_b", limit: 1, leaseMs: 60_000 });

    expect(await renewLeases({ workerId: "wkr_a", jobIds: [job.id], leaseMs: 60_000 })).toEqual(new Set());
    expect(await handBack({ workerId: "wkr_a", jobIds: [job.id] })).toBe(0);
    expect(await getJob({ accountId: principal.accountId, jobId: job.id })).toMatchObject({ status: "processing", leaseOwner: "wkr_b" });
  });
});

describe("the sweeper's endings", () => {
  test("a job whose lease was renewed after the sweeper looked is not failed as lost", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "renewed just in time" });
    await claimJobs({ workerId: "wkr_alive", limit: 1, leaseMs: 60_000 });
    // What the sweeper runs for a job it found with its lease run out (attempts exhausted), here
    // for a job whose worker has just renewed it.
    const ended = await withTransaction((tx) =>
      finishJob(tx, { jobId: job.id, from: { statuses: ["processing"], leaseExpired: true }, to: "failed", chargeMicros: 0n, error: { code: "worker_lost", message: "lost" } }),
    );
    expect(ended).toBeNull();
    expect(await getJob({ accountId: principal.accountId, jobId: job.id })).toMatchObject({ status: "processing", leaseOwner: "wkr_alive" });
  });

  test("a queued job that was claimed meanwhile is not expired as stale", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "claimed just in time" });
    await claimJobs({ workerId: "wkr_alive", limit: 1, leaseMs: 60_000 });
    const ended = await withTransaction((tx) =>
      finishJob(tx, { jobId: job.id, from: { statuses: ["queued"] }, to: "expired", chargeMicros: 0n, error: { code: "queue_timeout", message: "stale" } }),
    );
    expect(ended).toBeNull();
    expect((await getJob({ accountId: principal.accountId, jobId: job.id })).status).toBe("processing");
  });
});

describe("a cancel", () => {
  test("by another account changes nothing", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    const other = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "not yours" });
    await expect(cancelJob({ accountId: other.account.id, jobId: job.id })).rejects.toMatchObject({ code: "job_not_found" });
    expect((await getJob({ accountId: principal.accountId, jobId: job.id })).status).toBe("queued");
    expect((await getBalance({ accountId: principal.accountId }))!.heldMicros).toBe(5_000n);
  });
});

describe("a job's row", () => {
  test("cannot end twice: a second ending of a settled job changes nothing", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "once" });
    const db = await getDb();
    const end = () =>
      withTransaction((tx) => finishJob(tx, { jobId: job.id, from: { statuses: ["queued", "processing"] }, to: "canceled", chargeMicros: 0n }));
    expect(await end()).not.toBeNull();
    // Someone puts the job back as if active (a bug elsewhere): the hold, settled, still moves no money twice.
    await db.update(jobs).set({ status: "queued", chargedMicros: null }).where(eq(jobs.id, job.id));
    await expect(end()).rejects.toThrow(/was active but its hold was not/);
    await db.update(jobs).set({ status: "canceled", chargedMicros: 0n }).where(eq(jobs.id, job.id));
    const releases = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.jobId, job.id), eq(ledgerEntries.type, "release")));
    expect(releases).toHaveLength(1);
  });
});

describe("an ending's charge", () => {
  test("is refused for a job that did not succeed", async () => {
    const { principal } = await createTestAccount({ creditUsd: "1" });
    const job = await submitJob(principal, { model: "minimax-image-01", prompt: "failed but charged?" });
    await expect(
      withTransaction((tx) => finishJob(tx, { jobId: job.id, from: { statuses: ["queued"] }, to: "failed", chargeMicros: 5_000n })),
    ).rejects.toThrow(/cannot be charged/);
    expect((await getJob({ accountId: principal.accountId, jobId: job.id })).status).toBe("queued");
  });
});

describe("a settlement tried again", () => {
  test("after its first attempt committed (the answer was lost) keeps the images the first attempt recorded", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    await submitJob(principal, { model: "minimax-image-01", prompt: "settled, then retried", n: 2 });
    const [claimed] = await claimJobs({ workerId: "wkr_retry", limit: 1, leaseMs: 60_000 });
    const outcome = await executeJob(claimed!, running());
    expect(await settleOrDiscard({ workerId: "wkr_retry", job: claimed!, outcome })).toMatchObject({ status: "succeeded", chargedMicros: 10_000n });
    // The worker's retry of the same settlement: nothing changes, and the bytes stay.
    expect(await settleOrDiscard({ workerId: "wkr_retry", job: claimed!, outcome })).toBeNull();
    for (const image of outcome.status === "succeeded" ? outcome.images : []) expect(await readFileBytes(image.file)).not.toBeNull();
    expect((await getBalance({ accountId: account.id }))!).toMatchObject({ balanceMicros: 990_000n, heldMicros: 0n });
  });
});

describe("an idempotent retry", () => {
  test("of an accepted job replays it even when the account could no longer afford it", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "0.01" });
    const body = { model: "minimax-image-01", prompt: "paid for once", n: 2, idempotency_key: "retry-when-broke" };
    const job = await submitJob(principal, body);
    expect((await getBalance({ accountId: account.id }))!.availableMicros).toBe(0n);
    // The retry arrives with nothing available: it is the same job, not a refusal or a second hold.
    expect((await submitJob(principal, body)).id).toBe(job.id);
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(10_000n);
  });
});

describe("idempotent retries racing", () => {
  test("with credit for one job: every retry gets that job, none a refusal", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "0.01" });
    const body = { model: "minimax-image-01", prompt: "raced with little credit", n: 2, idempotency_key: "race-when-broke" };
    const answers = await Promise.allSettled(Array.from({ length: 5 }, () => submitJob(principal, body)));
    const refused = answers.filter((a) => a.status === "rejected").map((a) => String((a as PromiseRejectedResult).reason));
    expect(refused).toEqual([]);
    const ids = new Set(answers.map((a) => (a as PromiseFulfilledResult<{ id: string }>).value.id));
    expect(ids.size).toBe(1);
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(10_000n);
  });
});

import "@/lib/testing/isolated-database";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { GET as models } from "@/app/v1/models/route";
import { getDb } from "@/db/client";
import { jobs } from "@/db/schema";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import { presentJobs } from "./present";
import { queuePositions } from "./queue-position";
import { getJob } from "./queries";
import { clearTypicalDurations, queryTypicalDurations, typicalDurations } from "./typical-durations";

type Principal = Awaited<ReturnType<typeof createTestAccount>>["principal"];

/** A job of `model` that ran for `ms` and ended as `status` (written directly: no worker runs here). */
async function ranFor(principal: Principal, model: string, ms: number, status: "succeeded" | "failed" = "succeeded") {
  const job = await submitJob(principal, { model, prompt: `ran for ${ms} ms` });
  const startedAt = new Date(Date.now() - 60_000);
  const db = await getDb();
  await db
    .update(jobs)
    .set({ status, startedAt, completedAt: new Date(startedAt.getTime() + ms), chargedMicros: 0n })
    .where(eq(jobs.id, job.id));
  return job;
}

describe("typical durations", () => {
  beforeEach(() => clearTypicalDurations());

  test("are the median start-to-finish time of each model's recent succeeded jobs; failures and models without history are left out", async () => {
    const { principal } = await createTestAccount();
    for (const ms of [1_000, 2_000, 9_000]) await ranFor(principal, "minimax-image-01", ms);
    for (const ms of [500, 1_500]) await ranFor(principal, "imagen-4-fast", ms);
    await ranFor(principal, "imagen-4-fast", 60_000, "failed");
    await ranFor(principal, "ideogram-v3", 3_000, "failed");

    const durations = await queryTypicalDurations();
    expect(durations.get("minimax-image-01")).toBe(2_000);
    expect(durations.get("imagen-4-fast")).toBe(1_000);
    expect(durations.has("ideogram-v3")).toBe(false);
  });

  test("are served with the catalogue: typical_duration_ms, null for a model without history", async () => {
    const { principal } = await createTestAccount();
    await ranFor(principal, "recraft-v4", 4_200);
    const response = await call(models, apiRequest("/v1/models"));
    const byId = new Map(response.body.data.map((m: { id: string; typical_duration_ms: number | null }) => [m.id, m.typical_duration_ms]));
    expect(byId.get("recraft-v4")).toBe(4_200);
    expect(byId.get("recraft-v4-vector-pro")).toBeNull();
  });

  test("are cached briefly: a new job changes them only once the cache is cleared or old", async () => {
    const { principal } = await createTestAccount();
    await ranFor(principal, "nano-banana", 1_000);
    expect((await typicalDurations()).get("nano-banana")).toBe(1_000);
    await ranFor(principal, "nano-banana", 3_000);
    await ranFor(principal, "nano-banana", 3_000);
    expect((await typicalDurations()).get("nano-banana")).toBe(1_000);
    clearTypicalDurations();
    expect((await typicalDurations()).get("nano-banana")).toBe(3_000);
  });
});

describe("queue positions", () => {
  test("number queued jobs oldest first across every account, and leave other jobs out", async () => {
    // This file's database of its own: only the jobs made here are queued.
    const db = await getDb();
    await db.update(jobs).set({ status: "canceled", chargedMicros: 0n }).where(eq(jobs.status, "queued"));
    const mine = await createTestAccount();
    const theirs = await createTestAccount();
    const first = await submitJob(theirs.principal, { prompt: "first" });
    const second = await submitJob(mine.principal, { prompt: "second" });
    const third = await submitJob(mine.principal, { prompt: "third" });

    const positions = await queuePositions([second, third]);
    expect([positions.get(second.id), positions.get(third.id)]).toEqual([2, 3]);

    // A worker takes the oldest: everyone behind moves up, and the running job has no place.
    await db.update(jobs).set({ status: "processing", startedAt: new Date() }).where(eq(jobs.id, first.id));
    const claimed = await getJob({ accountId: theirs.account.id, jobId: first.id });
    const after = await queuePositions([claimed, second, third]);
    expect(Object.fromEntries(after)).toEqual({ [second.id]: 1, [third.id]: 2 });

    const presented = await presentJobs([claimed, second], "http://localhost:3000");
    expect(presented.map((job) => job.queue_position)).toEqual([null, 1]);
  });
});

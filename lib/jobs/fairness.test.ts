// Fairness in one worker: a flood of one account's slow jobs fills the worker, and another
// account's job still starts at once, in a reserved slot. A file of its own, so that no job left
// queued by another test takes those slots first.
import "@/lib/testing/isolated-database";
import { and, count, eq, gt, lt } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import { jobs } from "@/db/schema";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { stopWorkersAfterEach } from "@/lib/testing/test-workers";
import { submitJob, waitForStatus } from "@/lib/testing/jobs";

const startWorker = stopWorkersAfterEach();

describe("a fair worker", () => {
  test("fair: one account's flood does not starve another's job — it starts at once, in a reserved slot", async () => {
    const { account: flooder, principal: a } = await createTestAccount({ creditUsd: "10" });
    const { principal: b } = await createTestAccount({ creditUsd: "1" });
    const worker = await startWorker({ concurrency: 50 }); // 6 of them reserved
    for (let batch = 0; batch < 4; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => submitJob(a, { model: "minimax-image-01", prompt: `flood ${batch}.${i} [[easel:latency=10000]]` })),
      );
    }
    await eventually(async () => (worker.activeJobs === 44 ? true : undefined), 20_000, "the flood to fill the unreserved slots");
    const job = await submitJob(b, { prompt: "a single job" });
    const started = await waitForStatus(b, job.id, "processing", 30_000);

    // Measured in claim order rather than wall time (a loaded CI machine stretches the clock):
    // first in first out, B would wait for the 156 queued before it; it waits for none, and for
    // no slot to free — not one of the flood's jobs has finished when it starts.
    const db = await getDb();
    const flood = (condition: ReturnType<typeof and>) =>
      db.select({ n: count() }).from(jobs).where(and(eq(jobs.accountId, flooder.id), condition)).then(([row]) => row!.n);
    expect(await flood(and(gt(jobs.startedAt, job.createdAt), lt(jobs.startedAt, started.startedAt!)))).toBe(0);
    expect(await flood(lt(jobs.completedAt, started.startedAt!))).toBe(0);
    // The claim is committed (and seen above) a moment before the worker counts the job it took.
    await eventually(async () => (worker.activeJobs === 45 ? true : undefined), 5_000, "B's job to be counted among the worker's");
    expect(worker.activeJobs).toBe(45);
    await worker.stop(0);
  }, 60_000);
});

// Workers started by a vitest file's tests: each test's workers are stopped after it (what they
// still hold handed back), and the ledger's invariants are checked.
import { afterEach } from "vitest";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { JobWorker } from "@/lib/jobs/worker";

/** Returns `startWorker(config)`: a started worker, stopped when the test ends. */
export function stopWorkersAfterEach(): (config?: ConstructorParameters<typeof JobWorker>[0]) => Promise<JobWorker> {
  let workers: JobWorker[] = [];
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop(0)));
    workers = [];
    await assertLedgerInvariants();
  });
  return async (config = {}) => {
    const worker = new JobWorker(config);
    await worker.start();
    workers.push(worker);
    return worker;
  };
}

import "server-only";
import { queueConfig } from "./config";
import { Sweeper } from "./sweeper";
import { JobWorker } from "./worker";

export type QueueRuntime = { worker: JobWorker; stop(graceMs?: number): Promise<void> };

/** A worker and a sweeper for this process: what `npm run worker` runs, and the app on PGlite. */
export async function startQueueProcessing(): Promise<QueueRuntime> {
  const config = queueConfig();
  const worker = new JobWorker(config);
  const sweeper = new Sweeper(config);
  await worker.start();
  sweeper.start();
  return {
    worker,
    async stop(graceMs) {
      await sweeper.stop();
      await worker.stop(graceMs);
    },
  };
}

import "server-only";
import { checkProviderConcurrency } from "@/lib/providers/registry";
import { WebhookDeliverer } from "@/lib/webhooks/deliverer";
import { queueConfig } from "./config";
import { Sweeper } from "./sweeper";
import { JobWorker } from "./worker";

export type QueueRuntime = { worker: JobWorker; deliverer: WebhookDeliverer; stop(graceMs?: number): Promise<void> };

/**
 * A worker, a sweeper and a webhook deliverer for this process: what `npm run worker` runs, and
 * the app process unless EASEL_WORKER=off.
 */
export async function startQueueProcessing(): Promise<QueueRuntime> {
  checkProviderConcurrency();
  const config = queueConfig();
  const worker = new JobWorker(config);
  const sweeper = new Sweeper(config);
  const deliverer = new WebhookDeliverer();
  await worker.start();
  sweeper.start();
  await deliverer.start();
  return {
    worker,
    deliverer,
    async stop(graceMs) {
      await sweeper.stop();
      await Promise.all([worker.stop(graceMs), deliverer.stop()]);
    },
  };
}

import "server-only";
import { EmailSender } from "@/lib/email/sender";
import { checkProviderConcurrency } from "@/lib/providers/registry";
import { checkFileUrlSettings } from "@/lib/storage/file-urls";
import { WebhookDeliverer } from "@/lib/webhooks/deliverer";
import { queueConfig } from "./config";
import { Sweeper } from "./sweeper";
import { JobWorker } from "./worker";

export type QueueRuntime = { worker: JobWorker; deliverer: WebhookDeliverer; emails: EmailSender; stop(graceMs?: number): Promise<void> };

/**
 * A worker, a sweeper, a webhook deliverer and an email sender for this process: what `npm run
 * worker` runs, and the app process unless EASEL_WORKER=off.
 */
export async function startQueueProcessing(): Promise<QueueRuntime> {
  // Settings that cannot work stop the worker here (webhook payloads carry file URLs too).
  checkProviderConcurrency();
  checkFileUrlSettings();
  const config = queueConfig();
  const worker = new JobWorker(config);
  const sweeper = new Sweeper(config);
  const deliverer = new WebhookDeliverer();
  const emails = new EmailSender();
  await worker.start();
  sweeper.start();
  await deliverer.start();
  await emails.start();
  return {
    worker,
    deliverer,
    emails,
    async stop(graceMs) {
      await sweeper.stop();
      await Promise.all([worker.stop(graceMs), deliverer.stop(), emails.stop()]);
    },
  };
}

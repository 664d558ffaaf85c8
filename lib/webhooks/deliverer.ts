import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { WebhookDelivery } from "@/db/schema";
import { logger } from "@/lib/http/logger";
import type { SafePoster } from "@/lib/net/safe-post";
import { OutboxLoop } from "@/lib/server/outbox-loop";
import { webhookConfig, type WebhookConfig } from "./config";
import { attemptDelivery, claimDeliveries } from "./deliver";

/** The channel on which the database announces new deliveries (migration 0010). */
export const WEBHOOKS_CHANNEL = "easel_webhooks";

/**
 * Sends webhook deliveries from this process, up to `concurrency` at once: woken by the
 * database the moment one is written, polling for retries that come due. Runs beside the
 * JobWorker in every worker process; any number may share one database.
 */
export class WebhookDeliverer {
  readonly id = `whk_${os.hostname()}_${process.pid}_${randomBytes(3).toString("hex")}`;
  private readonly config: WebhookConfig;
  private readonly log = logger.child({ deliverer: this.id });
  private readonly loop: OutboxLoop<WebhookDelivery>;

  constructor(
    config: Partial<WebhookConfig> = {},
    private readonly deps: { post?: SafePoster; origin?: string } = {},
  ) {
    this.config = { ...webhookConfig(), ...config };
    this.loop = new OutboxLoop<WebhookDelivery>(
      {
        channel: WEBHOOKS_CHANNEL,
        claim: (limit) => claimDeliveries({ workerId: this.id, limit, leaseMs: this.config.leaseMs }),
        handle: async (delivery) => {
          const result = await attemptDelivery(delivery, { config: this.config, workerId: this.id, ...this.deps });
          this.log.info({ delivery_id: delivery.id, event_id: delivery.eventId, ...result }, "webhook attempt");
        },
        idOf: (delivery) => delivery.id,
      },
      { concurrency: this.config.concurrency, pollMs: this.config.pollMs, log: this.log, what: "webhook deliveries" },
    );
  }

  async start(): Promise<void> {
    await this.loop.start();
    this.log.info({ concurrency: this.config.concurrency }, "webhook deliverer started");
  }

  wake(): void {
    this.loop.wake();
  }

  /** Stops claiming and waits for the attempts in flight (each bounded by the timeout). */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}

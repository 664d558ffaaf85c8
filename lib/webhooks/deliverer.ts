import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { connect } from "@/db/client";
import type { WebhookDelivery } from "@/db/schema";
import { logger } from "@/lib/http/logger";
import type { SafePoster } from "@/lib/net/safe-post";
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
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private filling = false;
  private wakeAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    config: Partial<WebhookConfig> = {},
    private readonly deps: { post?: SafePoster; origin?: string } = {},
  ) {
    this.config = { ...webhookConfig(), ...config };
  }

  async start(): Promise<void> {
    this.running = true;
    this.unlisten = await (await connect()).listen(WEBHOOKS_CHANNEL, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.config.pollMs);
    this.timer.unref();
    this.log.info({ concurrency: this.config.concurrency }, "webhook deliverer started");
    this.wake();
  }

  wake(): void {
    if (!this.running) return;
    if (this.filling) {
      this.wakeAgain = true;
      return;
    }
    void this.fill();
  }

  private async fill(): Promise<void> {
    this.filling = true;
    try {
      do {
        this.wakeAgain = false;
        while (this.running && this.inFlight.size < this.config.concurrency) {
          const claimed = await claimDeliveries({
            workerId: this.id,
            limit: this.config.concurrency - this.inFlight.size,
            leaseMs: this.config.leaseMs,
          });
          for (const delivery of claimed) this.run(delivery);
          if (claimed.length === 0) break;
        }
      } while (this.wakeAgain && this.running);
    } catch (error) {
      this.log.error({ err: error }, "claiming webhook deliveries failed; the poll will try again");
    } finally {
      this.filling = false;
    }
  }

  private run(delivery: WebhookDelivery): void {
    const done = attemptDelivery(delivery, { config: this.config, workerId: this.id, ...this.deps })
      .then((result) => this.log.info({ delivery_id: delivery.id, event_id: delivery.eventId, ...result }, "webhook attempt"))
      .catch((error: unknown) => this.log.error({ err: error, delivery_id: delivery.id }, "webhook attempt failed; retried when its lease ends"))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.wake();
      });
    this.inFlight.set(delivery.id, done);
  }

  /** Stops claiming and waits for the attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await Promise.allSettled([...this.inFlight.values()]);
  }
}

import "server-only";
import { connect } from "@/db/client";
import type { Logger } from "@/lib/http/logger";

/** What an outbox loop works on: how to claim due items, and how to handle one. */
export type OutboxHandler<T> = {
  /** The channel on which the database announces new items, if any (else polling alone). */
  channel?: string;
  /** Claims up to `limit` due items for this process (SKIP LOCKED and a lease). */
  claim(limit: number): Promise<T[]>;
  /** Handles one claimed item; a throw is logged, and the item is retried when its lease ends. */
  handle(item: T): Promise<void>;
  idOf(item: T): string;
};

/**
 * Works through an outbox (webhook deliveries, emails) from this process, up to `concurrency`
 * items at once: woken by the database the moment one is written, polling for retries that
 * come due. Any number of processes may share one database; claims decide who does what.
 */
export class OutboxLoop<T> {
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private filling = false;
  private wakeAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly handler: OutboxHandler<T>,
    private readonly options: { concurrency: number; pollMs: number; log: Logger; what: string },
  ) {}

  async start(): Promise<void> {
    this.running = true;
    if (this.handler.channel) this.unlisten = await (await connect()).listen(this.handler.channel, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
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
        while (this.running && this.inFlight.size < this.options.concurrency) {
          const claimed = await this.handler.claim(this.options.concurrency - this.inFlight.size);
          for (const item of claimed) this.run(item);
          if (claimed.length === 0) break;
        }
      } while (this.wakeAgain && this.running);
    } catch (error) {
      this.options.log.error({ err: error }, `claiming ${this.options.what} failed; the poll will try again`);
    } finally {
      this.filling = false;
    }
  }

  private run(item: T): void {
    const id = this.handler.idOf(item);
    const done = this.handler
      .handle(item)
      .catch((error: unknown) => this.options.log.error({ err: error, id }, `${this.options.what}: an attempt failed; retried when its lease ends`))
      .finally(() => {
        this.inFlight.delete(id);
        this.wake();
      });
    this.inFlight.set(id, done);
  }

  /** Stops claiming and waits for the items in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await Promise.allSettled([...this.inFlight.values()]);
  }
}

import type { ProviderId } from "@/lib/catalog";

// Caps on the calls this process has in flight to one upstream, for upstreams that limit how
// many tasks an account may run at once (Black Forest Labs, say): set
// EASEL_PROVIDER_CONCURRENCY_<NAME> (EASEL_PROVIDER_CONCURRENCY_BFL=24), and a job whose
// provider is full waits here, first come first served, instead of calling it and being
// answered 429. The cap is per worker process: with several workers, divide the upstream's
// limit between them.

/** The cap for one provider from the environment, or null for none. */
export function providerConcurrency(provider: ProviderId, env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const name = `EASEL_PROVIDER_CONCURRENCY_${provider.toUpperCase()}`;
  const text = env[name]?.trim();
  if (!text) return null;
  const cap = Number(text);
  if (!Number.isSafeInteger(cap) || cap < 1) throw new Error(`${name} must be a whole number of at least 1, not "${text}".`);
  return cap;
}

type Waiter = { grant: () => void };

/** Counting semaphores, one per provider, each with a queue of the calls waiting for it. */
export class ProviderSlots {
  private readonly inUse = new Map<ProviderId, number>();
  private readonly waiting = new Map<ProviderId, Waiter[]>();

  constructor(private readonly capOf: (provider: ProviderId) => number | null = providerConcurrency) {}

  /** Calls of `provider` in flight now, through these slots. */
  active(provider: ProviderId): number {
    return this.inUse.get(provider) ?? 0;
  }

  /**
   * Waits for a free slot of `provider` (at once when it has no cap) and returns its release,
   * which may be called more than once. Rejects with the signal's reason if it aborts first.
   */
  async acquire(provider: ProviderId, signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    const cap = this.capOf(provider);
    // A slot is counted the moment it is given: to this call now, or to a waiter by `next`.
    if (cap === null || this.active(provider) < cap) this.take(provider);
    else await this.wait(provider, signal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse.set(provider, this.active(provider) - 1);
      this.next(provider);
    };
  }

  private wait(provider: ProviderId, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(provider) ?? [];
      this.waiting.set(provider, queue);
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          this.take(provider);
          resolve();
        },
      };
      const onAbort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      queue.push(waiter);
    });
  }

  private take(provider: ProviderId): void {
    this.inUse.set(provider, this.active(provider) + 1);
  }

  /** Hands free slots to the longest waiting calls, as far as the cap (which may have changed) allows. */
  private next(provider: ProviderId): void {
    const queue = this.waiting.get(provider) ?? [];
    for (;;) {
      const cap = this.capOf(provider);
      if (queue.length === 0 || (cap !== null && this.active(provider) >= cap)) return;
      queue.shift()!.grant();
    }
  }
}

const state = globalThis as unknown as { __easelProviderSlots?: ProviderSlots };

/** This process's slots, shared by every worker in it. */
export function providerSlots(): ProviderSlots {
  return (state.__easelProviderSlots ??= new ProviderSlots());
}

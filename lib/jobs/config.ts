import "server-only";

// How the queue behaves, from the environment, read when used (tests change them).
const number = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

export const queueConfig = () => ({
  /**
   * Jobs one worker process runs at once. Provider calls are I/O: a job holds no database
   * connection while it waits (leases are renewed in one statement, settlements grouped), so one
   * process holds hundreds.
   */
  concurrency: Math.max(1, number("EASEL_WORKER_CONCURRENCY", 256)),
  /**
   * Of those, the slots kept for accounts with fewer than this many jobs running; unset, an
   * eighth of the concurrency. A flood of one account's slow jobs fills the rest, and another
   * account's job still starts at once.
   */
  reservedSlots: process.env.EASEL_WORKER_RESERVED_SLOTS ? number("EASEL_WORKER_RESERVED_SLOTS", 0) : null,
  /** A claimed job is the worker's for this long unless its heartbeat extends it. */
  leaseMs: number("EASEL_LEASE_MS", 10_000),
  /** ~1.5 s (docs/product-rules.md, "Jobs"), well inside the lease, so one missed beat loses nothing. */
  heartbeatMs: number("EASEL_HEARTBEAT_MS", 1_500),
  /** The fallback when no notification arrives: look for work this often anyway. */
  pollMs: number("EASEL_WORKER_POLL_MS", 1_000),
  sweepMs: number("EASEL_SWEEP_INTERVAL_MS", 2_000),
  /** Claims of one job before a lost lease fails it instead of requeueing it. */
  maxAttempts: Math.max(1, number("EASEL_MAX_ATTEMPTS", 3)),
  /** A job still queued after this long expires (and its hold is released). */
  queuedTtlMs: number("EASEL_QUEUED_TTL_MS", 10 * 60_000),
  /** A job still processing this long after it started expires: ~7 minutes for images (docs/product-rules.md, "Jobs"). */
  deadlineMs: number("EASEL_JOB_DEADLINE_MS", 7 * 60_000),
  /** One provider call may take this long. */
  providerTimeoutMs: number("EASEL_PROVIDER_TIMEOUT_MS", 120_000),
  /** Retries of a transient provider failure before falling back to the next provider. */
  providerRetries: number("EASEL_PROVIDER_RETRIES", 2),
  providerRetryBaseMs: number("EASEL_PROVIDER_RETRY_BASE_MS", 250),
});

export type QueueConfig = ReturnType<typeof queueConfig>;

import "server-only";

// How webhook delivery behaves, from the environment, read when used (tests change it).

const HOUR = 3_600_000;
/** About 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h after the attempt before; then failed. */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 24 * HOUR];

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
};

function schedule(): number[] {
  const text = process.env.EASEL_WEBHOOK_RETRY_SCHEDULE_MS;
  if (!text) return DEFAULT_RETRY_SCHEDULE_MS;
  const delays = text.split(",").map((part) => Number(part.trim()));
  if (delays.some((delay) => !Number.isFinite(delay) || delay < 0)) {
    throw new Error(`EASEL_WEBHOOK_RETRY_SCHEDULE_MS must be comma-separated milliseconds, got "${text}"`);
  }
  return delays;
}

export const webhookConfig = () => {
  const timeoutMs = number("EASEL_WEBHOOK_TIMEOUT_MS", 15_000);
  return {
    /** Delays before each retry; a delivery has `retryScheduleMs.length + 1` attempts in all. */
    retryScheduleMs: schedule(),
    /** One attempt, from connecting to the last byte kept. */
    timeoutMs,
    /** A claimed delivery is the deliverer's for this long: well past one attempt's timeout. */
    leaseMs: number("EASEL_WEBHOOK_LEASE_MS", timeoutMs * 2 + 5_000),
    /** Deliveries one process attempts at once. */
    concurrency: Math.max(1, number("EASEL_WEBHOOK_CONCURRENCY", 8)),
    /** Retries come due without a notification: look for them this often. */
    pollMs: number("EASEL_WEBHOOK_POLL_MS", 1_000),
    /** Private and loopback receivers, and plain http: local development and tests only. */
    allowPrivate: process.env.EASEL_ALLOW_PRIVATE_WEBHOOKS === "1",
    /** After a secret is rotated, the previous one keeps signing this long. */
    rotationOverlapMs: number("EASEL_WEBHOOK_ROTATION_OVERLAP_MS", 24 * HOUR),
  };
};

export type WebhookConfig = ReturnType<typeof webhookConfig>;

/**
 * The wait before the next attempt after `failures` failed ones, or null when the schedule is
 * spent. ±10 % jitter keeps a receiver that comes back from being hit by every retry at once;
 * a `Retry-After` is honoured: never sooner than it asks (capped at a day).
 */
export function retryDelayMs(
  failures: number,
  scheduleMs: readonly number[],
  options: { retryAfterMs?: number | null; random?: () => number } = {},
): number | null {
  const base = scheduleMs[failures - 1];
  if (base === undefined) return null;
  const jitter = base * 0.1 * ((options.random ?? Math.random)() * 2 - 1);
  const asked = Math.min(options.retryAfterMs ?? 0, 24 * HOUR);
  return Math.max(Math.round(base + jitter), asked);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

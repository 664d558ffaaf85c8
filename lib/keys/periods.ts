// The periods a key's spend limit counts over: the UTC day, the UTC month, or all time. Pure:
// the keys page shows the same reset times the API's refusals name. The SQL twin of
// `periodStart` is `periodStartSql` (spend.ts); both must say the same.
import type { KeySpendPeriod } from "@/db/schema";

export const KEY_SPEND_PERIODS = ["day", "month", "total"] as const satisfies readonly KeySpendPeriod[];

/** "In all" counts from here: a fixed start that never moves on. */
export const TOTAL_PERIOD_START = new Date(0);

/** When the period containing `at` began. */
export function periodStart(period: KeySpendPeriod, at: Date): Date {
  switch (period) {
    case "day":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
    case "month":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    case "total":
      return TOTAL_PERIOD_START;
  }
}

/** When the period containing `at` ends and the count starts again from zero; null for "total". */
export function periodReset(period: KeySpendPeriod, at: Date): Date | null {
  switch (period) {
    case "day":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
    case "month":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
    case "total":
      return null;
  }
}

/** What the key has spent in the period containing `now`: the stored count if it is that period's. */
export function spentInPeriod(key: { spendLimitPeriod: KeySpendPeriod | null; spendPeriodStart: Date | null; spentMicros: bigint }, now: Date): bigint {
  if (!key.spendLimitPeriod || !key.spendPeriodStart) return 0n;
  return key.spendPeriodStart.getTime() >= periodStart(key.spendLimitPeriod, now).getTime() ? key.spentMicros : 0n;
}

export const PERIOD_WORDS: Record<KeySpendPeriod, string> = { day: "a day (UTC)", month: "a month (UTC)", total: "in all" };

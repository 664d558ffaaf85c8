import { describe, expect, test } from "vitest";
import { periodReset, periodStart, spentInPeriod, TOTAL_PERIOD_START } from "./periods";

describe("key spend periods (UTC)", () => {
  const at = new Date("2026-12-31T23:59:59.999Z");

  test("a day runs from 00:00 UTC to the next 00:00 UTC, a month from the 1st, a total from the epoch", () => {
    expect(periodStart("day", at).toISOString()).toBe("2026-12-31T00:00:00.000Z");
    expect(periodReset("day", at)!.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(periodStart("month", at).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(periodReset("month", at)!.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(periodStart("total", at)).toEqual(TOTAL_PERIOD_START);
    expect(periodReset("total", at)).toBeNull();
  });

  test("a count of an earlier period is nothing spent in this one", () => {
    const key = { spendLimitPeriod: "day" as const, spendPeriodStart: new Date("2026-12-31T00:00:00Z"), spentMicros: 7n };
    expect(spentInPeriod(key, at)).toBe(7n);
    expect(spentInPeriod(key, new Date("2027-01-01T00:00:00Z"))).toBe(0n);
    expect(spentInPeriod({ ...key, spendLimitPeriod: null }, at)).toBe(0n);
  });
});

// Leased allowances (leases.ts) against a real Redis: one instance admits exactly the limit,
// and two instances sharing the counter never admit more than it together.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { skipWithoutRedis, withTestRedis } from "@/lib/testing/test-redis";
import { eventually } from "@/lib/testing/fixtures";
import { spendOneFrom } from "./leases";
import { spent } from "./limiter";

withTestRedis();

describe.skipIf(skipWithoutRedis)("leased allowances in Redis", () => {
  const limit = { points: 200, durationSeconds: 60 };

  test("one instance admits exactly the limit, and says what remains as before", async () => {
    const key = `acct_${randomUUID()}`;
    const leases = new Map();
    const results = [];
    for (let i = 0; i < 205; i++) results.push(await spendOneFrom(leases, "lease-test", limit, key));
    expect(results.filter((r) => r.allowed).length).toBe(200);
    expect(results.slice(0, 200).map((r) => r.remaining)).toEqual(Array.from({ length: 200 }, (_, i) => 199 - i));
    expect(results.slice(200).every((r) => !r.allowed && r.remaining === 0)).toBe(true);
  });

  test("concurrent requests of one instance share its lease and admit exactly the limit", async () => {
    const key = `acct_${randomUUID()}`;
    const leases = new Map();
    const results = await Promise.all(Array.from({ length: 260 }, () => spendOneFrom(leases, "lease-test", limit, key)));
    expect(results.filter((r) => r.allowed).length).toBe(200);
  });

  test("the next lease is taken while the last points of this one are spent: no request waits for it", async () => {
    const key = `acct_${randomUUID()}`;
    const leases = new Map();
    // The first point exactly; then a lease of 16 (an eighth of 199, at most 16), of which 11 are
    // spent here: with 4 left, a quarter of a lease, the next 16 are taken meanwhile.
    for (let i = 0; i < 13; i++) expect((await spendOneFrom(leases, "lease-test", limit, key)).allowed).toBe(true);
    await eventually(async () => ((await spent("lease-test", limit, key)).points === 33 ? true : undefined), 5_000, "the next lease");
    const [lease] = [...leases.values()];
    expect(lease.left).toBe(4 + 16);
    expect(lease.refill).toBeUndefined();
    // What it reports remaining is unchanged by the refill: the counter's 167 and its own 20.
    expect((await spendOneFrom(leases, "lease-test", limit, key)).remaining).toBe(200 - 14);
  });

  test("two instances together never admit more than the limit", async () => {
    const key = `acct_${randomUUID()}`;
    const first = new Map();
    const second = new Map();
    let admitted = 0;
    for (let i = 0; i < 300; i++) {
      const [a, b] = await Promise.all([spendOneFrom(first, "lease-test", limit, key), spendOneFrom(second, "lease-test", limit, key)]);
      admitted += Number(a.allowed) + Number(b.allowed);
    }
    expect(admitted).toBeLessThanOrEqual(200);
    // What leases can strand: at most a lease and the quarter of one still being spent per
    // instance (16 + 4 points) goes unused.
    expect(admitted).toBeGreaterThanOrEqual(200 - 2 * (16 + 4));
  });
});

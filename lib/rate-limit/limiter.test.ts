// The shared counter every limit is spent from (limiter.ts): in Postgres when the suite runs on
// it (postgres-counter.ts, the statement of our own), in memory on PGlite.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { forgive, spend, spent } from "./limiter";

const key = () => `acct_${randomUUID()}`;

describe("the shared rate-limit counter", () => {
  test("spends up to the limit, then refuses, saying what remains and when the window ends", async () => {
    const limit = { points: 5, durationSeconds: 60 };
    const caller = key();
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await spend("counter-test", limit, caller));
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 4],
      [true, 3],
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    for (const result of results) {
      expect(result.resetMs).toBeGreaterThan(55_000);
      expect(result.resetMs).toBeLessThanOrEqual(60_000);
    }
    expect((await spent("counter-test", limit, caller)).points).toBe(6);
    expect((await spent("counter-test", limit, key())).points).toBe(0);
  });

  test("several points at once (a lease) are counted whole, and refused whole past the limit", async () => {
    const limit = { points: 20, durationSeconds: 60 };
    const caller = key();
    expect(await spend("counter-test", limit, caller, 16)).toMatchObject({ allowed: true, remaining: 4 });
    expect(await spend("counter-test", limit, caller, 16)).toMatchObject({ allowed: false, remaining: 0 });
    expect(await spend("counter-test", { points: 20, durationSeconds: 60 }, key(), 4)).toMatchObject({ allowed: true, remaining: 16 });
  });

  test("a window that has ended starts again from nothing", async () => {
    const limit = { points: 3, durationSeconds: 1 };
    const caller = key();
    for (let i = 0; i < 3; i++) expect((await spend("counter-test-short", limit, caller)).allowed).toBe(true);
    const refused = await spend("counter-test-short", limit, caller);
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, refused.resetMs + 50));
    const again = await spend("counter-test-short", limit, caller);
    expect(again).toMatchObject({ allowed: true, remaining: 2 });
    expect(again.resetMs).toBeGreaterThan(500);
  });

  test("forgiving gives the whole allowance back", async () => {
    const limit = { points: 2, durationSeconds: 60 };
    const caller = key();
    await spend("counter-test", limit, caller);
    await spend("counter-test", limit, caller);
    expect((await spend("counter-test", limit, caller)).allowed).toBe(false);
    await forgive("counter-test", limit, caller);
    expect(await spend("counter-test", limit, caller)).toMatchObject({ allowed: true, remaining: 1 });
  });
});

// Rate limits in a real Redis (REDIS_URL, 127.0.0.1:6379 here): counted once for every
// instance, and still enforced by each instance if Redis goes away.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { asAnotherInstance, skipWithoutRedis, withTestRedis } from "@/lib/testing/test-redis";
import { spend } from "./limiter";
import { redisClient } from "./redis";

withTestRedis();

describe.skipIf(skipWithoutRedis)("rate limits in Redis", () => {
  test("an allowance spent on one instance is spent for the other", async () => {
    const key = `acct_${randomUUID()}`;
    const limit = { points: 5, durationSeconds: 60 };
    for (let i = 0; i < 3; i++) expect((await spend("test", limit, key)).allowed).toBe(true);
    await asAnotherInstance();
    expect(await spend("test", limit, key)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await spend("test", limit, key)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await spend("test", limit, key)).toMatchObject({ allowed: false, remaining: 0 });
    // And it really is in Redis: the count is under the limiter's key.
    const keys = await redisClient()!.keys(`*${key}*`);
    expect(keys.length).toBe(1);
  });

  test("without Redis the instance still limits, in memory", async () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1"; // nothing listens there
    const key = `acct_${randomUUID()}`;
    const limit = { points: 2, durationSeconds: 60 };
    expect((await spend("test-down", limit, key)).allowed).toBe(true);
    expect((await spend("test-down", limit, key)).allowed).toBe(true);
    expect((await spend("test-down", limit, key)).allowed).toBe(false);
  });
});

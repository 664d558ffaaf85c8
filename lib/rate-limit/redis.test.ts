// Rate limits in a real Redis (REDIS_URL, 127.0.0.1:6379 here): counted once for every
// instance, and still enforced by each instance if Redis goes away.
import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { spend } from "./limiter";
import { closeRedis, redisClient } from "./redis";

const REDIS_URL = process.env.EASEL_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const state = globalThis as unknown as { __easelLimiters?: Map<string, unknown> };

/** What a second app instance has: its own connection and its own limiter objects. */
async function asAnotherInstance() {
  await closeRedis();
  state.__easelLimiters = undefined;
}

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.REDIS_URL;
  process.env.REDIS_URL = REDIS_URL;
  state.__easelLimiters = undefined;
});
afterEach(async () => {
  await closeRedis();
  state.__easelLimiters = undefined;
  if (saved === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = saved;
});

/** Whether something answers on Redis's port. CI starts Redis, so there it must. */
const redisAnswers = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = net.connect({ host: hostname, port: Number(port || 6379) });
  socket.once("connect", () => (socket.destroy(), resolve(true)));
  socket.once("error", () => resolve(false));
});

describe.skipIf(!redisAnswers && !process.env.CI)("rate limits in Redis", () => {
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

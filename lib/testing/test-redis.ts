// Rate-limit tests against a real Redis (EASEL_TEST_REDIS_URL, default 127.0.0.1:6379): each test
// starts with REDIS_URL pointing at it and no limiter objects, and ends with the connection closed.
import net from "node:net";
import { afterEach, beforeEach } from "vitest";
import { closeRedis } from "@/lib/rate-limit/redis";

export const TEST_REDIS_URL = process.env.EASEL_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const state = globalThis as unknown as { __easelLimiters?: Map<string, unknown> };

/** Whether something answers on Redis's port. CI starts Redis, so there it must (see redisSuite). */
export const redisAnswers = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(TEST_REDIS_URL);
  const socket = net.connect({ host: hostname, port: Number(port || 6379) });
  socket.once("connect", () => (socket.destroy(), resolve(true)));
  socket.once("error", () => resolve(false));
});

/** Skip a Redis suite where no Redis runs, except in CI, where that is a failure. */
export const skipWithoutRedis = !redisAnswers && !process.env.CI;

/** What a second app instance has: its own connection and its own limiter objects. */
export async function asAnotherInstance(): Promise<void> {
  await closeRedis();
  state.__easelLimiters = undefined;
}

/** Points REDIS_URL at the test Redis around each test of the file. */
export function withTestRedis(): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.REDIS_URL;
    process.env.REDIS_URL = TEST_REDIS_URL;
    state.__easelLimiters = undefined;
  });
  afterEach(async () => {
    await asAnotherInstance();
    if (saved === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved;
  });
}

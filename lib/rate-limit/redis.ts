import "server-only";
import { Redis } from "ioredis";

// The process's Redis connection, when REDIS_URL is set: where rate limits are counted, so that
// they hold across every app instance without a database write per request.

const state = globalThis as unknown as { __easelRedis?: { url: string; client: Redis } };

export function redisClient(): Redis | null {
  const url = process.env.REDIS_URL?.trim();
  if (!url) return null;
  if (state.__easelRedis?.url !== url) {
    // No offline queue: while Redis is away a limit is decided at once (by the in-process
    // fallback) rather than waiting for a reconnect.
    const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    client.on("error", () => {}); // reconnects by itself; a failed command falls back per call
    state.__easelRedis = { url, client };
  }
  return state.__easelRedis.client;
}

/** The client once connected (or after `timeoutMs`, when the in-process fallback takes over). */
export async function readyRedisClient(timeoutMs = 2_000): Promise<Redis | null> {
  const client = redisClient();
  if (!client || client.status === "ready") return client;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return client;
}

/** Closes the connection (tests, CLI). */
export async function closeRedis(): Promise<void> {
  const current = state.__easelRedis;
  state.__easelRedis = undefined;
  await current?.client.quit().catch(() => {});
}

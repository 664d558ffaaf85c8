import "server-only";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { connect } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { PostgresRateLimiter } from "./postgres-counter";
import { readyRedisClient } from "./redis";

// Rate limits with rate-limiter-flexible, kept where every app instance sees them: in Redis
// when REDIS_URL is set, else in Postgres when DATABASE_URL is; in memory on PGlite (which is
// one process anyway).

export type Limit = { points: number; durationSeconds: number };
export type LimitResult = { allowed: boolean; limit: number; remaining: number; resetMs: number };

const state = globalThis as unknown as { __easelLimiters?: Map<string, Promise<RateLimiterAbstract>> };

function limiterFor(name: string, limit: Limit): Promise<RateLimiterAbstract> {
  const limiters = (state.__easelLimiters ??= new Map());
  const id = `${name}:${limit.points}:${limit.durationSeconds}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = connect().then(async (connection) => {
      const options = { keyPrefix: id, points: limit.points, duration: limit.durationSeconds };
      const redis = await readyRedisClient();
      if (redis) {
        // If Redis stops answering, limits are kept in this process until it is back: the API
        // stays up, and each instance still limits what it serves.
        return new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) });
      }
      return connection.driver === "postgres"
        ? new PostgresRateLimiter({ ...options, storeClient: connection.db, schema: rateLimits }, connection)
        : new RateLimiterMemory(options);
    });
    limiters.set(id, limiter);
  }
  return limiter;
}

/** Spends `points` of `key`'s allowance under `name`; says whether it was there to spend. */
export async function spend(name: string, limit: Limit, key: string, points = 1): Promise<LimitResult> {
  const limiter = await limiterFor(name, limit);
  try {
    const res = await limiter.consume(key, points);
    return { allowed: true, limit: limit.points, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection; // the store failed: not a verdict
    return { allowed: false, limit: limit.points, remaining: 0, resetMs: rejection.msBeforeNext };
  }
}

/** How much of `key`'s allowance under `name` is spent, without spending any. */
export async function spent(name: string, limit: Limit, key: string): Promise<{ points: number; resetMs: number }> {
  const limiter = await limiterFor(name, limit);
  const res = await limiter.get(key);
  return { points: res?.consumedPoints ?? 0, resetMs: res?.msBeforeNext ?? 0 };
}

/** Gives `key` its whole allowance back (a correct password clears the failures before it). */
export async function forgive(name: string, limit: Limit, key: string): Promise<void> {
  const limiter = await limiterFor(name, limit);
  await limiter.delete(key);
}

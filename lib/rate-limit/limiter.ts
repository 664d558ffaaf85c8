import "server-only";
import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { connect } from "@/db/client";
import { rateLimits } from "@/db/schema";

// Rate limits with rate-limiter-flexible: in memory on PGlite (one process), in Postgres when
// DATABASE_URL is set, so that a limit holds across every app instance.

export type Limit = { points: number; durationSeconds: number };
export type LimitResult = { allowed: boolean; limit: number; remaining: number; resetMs: number };

const state = globalThis as unknown as { __easelLimiters?: Map<string, Promise<RateLimiterAbstract>> };

function limiterFor(name: string, limit: Limit): Promise<RateLimiterAbstract> {
  const limiters = (state.__easelLimiters ??= new Map());
  const id = `${name}:${limit.points}:${limit.durationSeconds}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = connect().then((connection) => {
      const options = { keyPrefix: id, points: limit.points, duration: limit.durationSeconds };
      return connection.driver === "postgres"
        ? new RateLimiterDrizzle({ ...options, storeClient: connection.db, schema: rateLimits })
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

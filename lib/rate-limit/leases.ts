import "server-only";
import { spend, type Limit, type LimitResult } from "./limiter";

// The API's per-request allowances, spent without a write to the shared counter (Redis or
// Postgres) per request: an instance takes a lease of several points from the shared counter in
// one write and spends them from memory, until they run out or the window ends.
//
// Limits still hold across instances: every point an instance can spend was first counted in the
// shared counter, so all instances together never admit more than the limit in a window. What a
// lease can cost is the other way: points leased by one instance and not used are not available
// to another until the window ends. Leases are kept small for that — an eighth of what the shared
// counter last said was left, at most 16 — so they shrink to one point, exact, near the limit
// (and, for small limits such as sign-in's, are always one). One instance alone admits exactly
// what it did before. A leased point unused at the window's end is dropped, never carried over.

const MAX_LEASE = 16;
const MAX_KEYS = 100_000;

type Lease = { left: number; resetAt: number; remaining: number; pending?: Promise<void> };
type Leases = Map<string, Lease>;

const holder = globalThis as unknown as { __easelLeases?: Leases };

/** Spends one point of `key`'s allowance under `name`, from this instance's lease when it has one. */
export function spendOne(name: string, limit: Limit, key: string): Promise<LimitResult> {
  return spendOneFrom((holder.__easelLeases ??= new Map()), name, limit, key);
}

/** The same, from the leases of `book`: what another app instance holds (tests). */
export async function spendOneFrom(leases: Leases, name: string, limit: Limit, key: string): Promise<LimitResult> {
  const id = `${name}:${limit.points}:${limit.durationSeconds}:${key}`;
  for (;;) {
    const lease = leases.get(id);
    const now = Date.now();
    if (lease && lease.resetAt > now) {
      if (lease.left > 0) {
        lease.left--;
        return { allowed: true, limit: limit.points, remaining: lease.remaining + lease.left, resetMs: lease.resetAt - now };
      }
      // Another request of this instance is taking the next lease: share it rather than race it.
      if (lease.pending) {
        await lease.pending;
        continue;
      }
    }
    return takeLease(leases, id, name, limit, key, lease && lease.resetAt > now ? lease.remaining : undefined);
  }
}

async function takeLease(leases: Leases, id: string, name: string, limit: Limit, key: string, knownRemaining: number | undefined): Promise<LimitResult> {
  // Nothing known yet (or a new window): one point, exact; after that, a share of what is left.
  const size = knownRemaining === undefined ? 1 : Math.max(1, Math.min(MAX_LEASE, Math.floor(knownRemaining / 8)));
  let settle!: () => void;
  const placeholder: Lease = { left: 0, resetAt: Number.POSITIVE_INFINITY, remaining: knownRemaining ?? 0, pending: new Promise((resolve) => (settle = resolve)) };
  leases.set(id, placeholder);
  try {
    // A lease refused whole is counted whole by the shared counter: that can only happen when
    // other instances spent seven eighths of what was left since this one last looked, and it
    // refuses early (at most 15 points), never late.
    const result = await spend(name, limit, key, size);
    if (!result.allowed) {
      leases.delete(id);
      return result;
    }
    if (leases.size >= MAX_KEYS) leases.delete(leases.keys().next().value!);
    leases.set(id, { left: size - 1, resetAt: Date.now() + result.resetMs, remaining: result.remaining });
    return { ...result, remaining: result.remaining + size - 1 };
  } catch (error) {
    leases.delete(id);
    throw error;
  } finally {
    settle();
  }
}

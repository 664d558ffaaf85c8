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
// (and, for small limits such as sign-in's, are always one). The next lease is taken while the
// last quarter of the current one is spent, so a busy instance's requests do not queue behind
// that write; an instance may so hold a lease and a quarter unused. One instance alone admits
// exactly what it did before. A leased point unused at the window's end is dropped, never
// carried over.

const MAX_LEASE = 16;
const MAX_KEYS = 100_000;

/**
 * `left`: points of this instance's lease still to spend, until `resetAt`. `remaining`: what the
 * shared counter said was left when the lease was taken. `pending`: a first lease being taken
 * (requests wait for it); `refill`: the next lease, taken while this one still has points.
 */
type Lease = { left: number; resetAt: number; remaining: number; pending?: Promise<void>; refill?: Promise<void> };
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
        const result = { allowed: true, limit: limit.points, remaining: lease.remaining + lease.left, resetMs: lease.resetAt - now };
        // With a quarter of the lease left, the next is taken meanwhile, so no request waits for it.
        if (lease.left <= leaseSize(lease.remaining) / 4 && lease.remaining > 0 && !lease.refill) refill(lease, name, limit, key);
        return result;
      }
      // Another request of this instance is taking the next lease: share it rather than race it.
      const taking = lease.pending ?? lease.refill;
      if (taking) {
        await taking;
        continue;
      }
    }
    return takeLease(leases, id, name, limit, key, lease && lease.resetAt > now ? lease.remaining : undefined);
  }
}

/** Nothing known yet (or a new window): one point, exact; after that, a share of what is left. */
const leaseSize = (knownRemaining: number | undefined) =>
  knownRemaining === undefined ? 1 : Math.max(1, Math.min(MAX_LEASE, Math.floor(knownRemaining / 8)));

/**
 * Takes the next lease while `lease` still has points, and adds it to them — or, if the shared
 * counter's window has moved on meanwhile, puts it in their place (what is left of an old window
 * is never spent in a new one). A refused or failed refill leaves the lease as it is: its last
 * points are spent, and the next request takes a lease itself, as it would have without refills.
 */
function refill(lease: Lease, name: string, limit: Limit, key: string): void {
  const size = leaseSize(lease.remaining);
  lease.refill = spend(name, limit, key, size)
    .then((result) => {
      if (!result.allowed) {
        lease.remaining = 0; // the next lease is one point, exact
        return;
      }
      const resetAt = Date.now() + result.resetMs;
      const sameWindow = Math.abs(resetAt - lease.resetAt) < limit.durationSeconds * 500;
      Object.assign(lease, sameWindow ? { left: lease.left + size, remaining: result.remaining } : { left: size, resetAt, remaining: result.remaining });
    })
    .catch(() => {}) // the store failed: the next request without a lease meets that error itself
    .finally(() => {
      lease.refill = undefined;
    });
}

async function takeLease(leases: Leases, id: string, name: string, limit: Limit, key: string, knownRemaining: number | undefined): Promise<LimitResult> {
  const size = leaseSize(knownRemaining);
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

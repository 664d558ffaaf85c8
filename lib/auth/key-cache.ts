import "server-only";
import { connect, type Connection } from "@/db/client";

// API key lookups, cached in this process so that a request does not cost a query to learn who
// is calling. What is cached is whatever the lookup returns (the key's row and what it joins),
// keyed by the secret's hash, for at most KEY_CACHE_TTL_MS.
//
// Staleness is bounded by two things, not by the TTL alone:
//  - the database announces every change of a key's row (any column but last_used_at), and of
//    an account's lifetime deposits (they set the tier), on channel easel_api_key_changes with
//    the account id (migration 0012); every instance LISTENs and forgets that account's keys
//    when the notification arrives, on the commit of the change;
//  - the process that makes a change forgets at once (`forgetAccountKeys`), before it answers.
// A lookup that was in flight when something changed is not kept: it may have read the old row.
// Nothing is cached until the listener is up, and everything is forgotten each time it (re)starts,
// so that notifications missed while it was away cannot leave a stale entry behind; the TTL
// bounds what an unnoticed, silent loss of the listening connection could leave.
// Whoever adds a column of credit_accounts to the lookup adds it to that trigger too.

export const KEY_CHANGES_CHANNEL = "easel_api_key_changes";
const TTL_MS = Number(process.env.EASEL_KEY_CACHE_MS ?? 5_000);
const MAX_ENTRIES = 10_000;

type Entry = { value: { accountId: string }; expires: number };
type State = {
  connection: Connection | null;
  listening: Promise<boolean> | null;
  entries: Map<string, Entry>;
  /** Lookups under way, by hash: a request for a key being looked up waits for that lookup. */
  inflight: Map<string, Promise<unknown>>;
  /** Bumped by every change heard of: a lookup that started before one is not kept. */
  changes: number;
};

const holder = globalThis as unknown as { __easelKeyCache?: State };
const state = (holder.__easelKeyCache ??= { connection: null, listening: null, entries: new Map(), inflight: new Map(), changes: 0 });

function forgetAll() {
  state.entries.clear();
  state.inflight.clear();
  state.changes++;
}

/** Forgets every cached key of the account (its keys or its deposits changed). */
export function forgetAccountKeys(accountId: string): void {
  state.changes++;
  // A request from now on must not be answered by a lookup that began before the change.
  state.inflight.clear();
  for (const [hash, entry] of state.entries) if (entry.value.accountId === accountId) state.entries.delete(hash);
}

/** Whether changes are being heard of on this connection; starts listening the first time. */
async function listening(): Promise<boolean> {
  const connection = await connect();
  if (state.connection !== connection) {
    // A new connection (first use, or tests reopening the database): nothing cached holds.
    forgetAll();
    state.connection = connection;
    if (behindPoolerWithoutListenUrl(connection)) return (state.listening = Promise.resolve(false));
    let up = false;
    state.listening = connection
      .listen(KEY_CHANGES_CHANNEL, (accountId) => forgetAccountKeys(accountId), () => {
        forgetAll();
        up = true;
      })
      .then(
        () => up,
        () => false, // no notifications, no cache: every request looks its key up
      );
  }
  return state.listening!;
}

/**
 * Behind a pooler in transaction mode LISTEN needs DATABASE_LISTEN_URL (README); without it a
 * notification may never arrive, so nothing is cached rather than anything kept too long.
 */
function behindPoolerWithoutListenUrl(connection: Connection): boolean {
  return connection.driver === "postgres" && process.env.DATABASE_PREPARE === "false" && !process.env.DATABASE_LISTEN_URL;
}

/**
 * The cached result of `lookup` for this secret hash, or a fresh one. Only results with an
 * `accountId` are kept; a miss (`undefined`) is looked up again every time. Concurrent requests
 * for a key that is not cached share one lookup — else a client's burst, or the moment its
 * entry expires, would send every request in flight to the database — unless a change was heard
 * of since that lookup began: then a request looks the key up afresh.
 */
export async function cachedKeyLookup<T extends { accountId: string }>(hash: string, lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  if (TTL_MS <= 0 || !(await listening())) return lookup();
  const entry = state.entries.get(hash);
  if (entry && entry.expires > Date.now()) return entry.value as T;
  const underWay = state.inflight.get(hash) as Promise<T | undefined> | undefined;
  if (underWay) return underWay;
  const pending: Promise<T | undefined> = lookupAndKeep(hash, lookup).finally(() => {
    if (state.inflight.get(hash) === pending) state.inflight.delete(hash);
  });
  state.inflight.set(hash, pending);
  return pending;
}

async function lookupAndKeep<T extends { accountId: string }>(hash: string, lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  const now = Date.now();
  const before = state.changes;
  const value = await lookup();
  if (value !== undefined && state.changes === before) {
    if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
    state.entries.delete(hash);
    state.entries.set(hash, { value, expires: now + TTL_MS });
  } else if (value === undefined) {
    state.entries.delete(hash);
  }
  return value;
}

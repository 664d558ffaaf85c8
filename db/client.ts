import "server-only";
import path from "node:path";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import { acquireDataDirLock } from "./data-dir-lock";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Both drivers (postgres.js and PGlite) give this same query builder. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Queryable = Database | Transaction;

export type Connection = {
  db: Database;
  driver: "postgres" | "pglite";
  /** The postgres.js client when on Postgres (raw SQL in tooling). */
  pg?: Sql;
  /**
   * The rows of one statement of our own (`$1`, `$2`… its parameters), run by the driver itself,
   * without the query builder; prepared on Postgres unless DATABASE_PREPARE=false. Values come as
   * the driver reads them: a timestamp is a string on Postgres and a Date on PGlite.
   */
  query<T>(text: string, params: unknown[]): Promise<T[]>;
  /**
   * LISTEN on a channel; resolves to the function that stops listening. `onNotify` gets each
   * notification's payload; `onListen` runs each time the listening starts, the first time and
   * after every reconnect.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

const MIGRATIONS_DIR = path.join(process.cwd(), "db", "migrations");
const MIGRATION_LOCK_ID = 7_412_025; // any constant; serialises migrations across processes

/** The data directory for PGlite and files on disk: `EASEL_DATA_DIR`, default `./.data`. */
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.EASEL_DATA_DIR ?? ".data");
}

// Kept on globalThis so that hot reloads in `next dev` reuse the one connection of the process:
// two PGlite instances on one directory lose rows.
const state = globalThis as unknown as { __easelConnection?: Promise<Connection> };

/** The process's database, opened and migrated on first use. `DATABASE_URL` chooses Postgres. */
export function connect(): Promise<Connection> {
  if (!state.__easelConnection) {
    const url = process.env.DATABASE_URL;
    state.__easelConnection = (url ? openPostgres(url) : openPglite()).catch((error: unknown) => {
      state.__easelConnection = undefined;
      throw error;
    });
  }
  return state.__easelConnection;
}

export async function getDb(): Promise<Database> {
  return (await connect()).db;
}

/**
 * A query built once per database and then only run: `build` makes it with `sql.placeholder`s
 * and `.prepare(name)`. The query builder otherwise builds a query's SQL text on every call,
 * which for the API's cheapest reads costs more than the database's answer does.
 */
export function preparedQuery<Q>(build: (db: Database) => Q): () => Promise<Q> {
  const built = new WeakMap<Database, Q>();
  return async () => {
    const db = await getDb();
    let query = built.get(db);
    if (query === undefined) built.set(db, (query = build(db)));
    return query;
  };
}

/** Closes the process's connection (CLI, tests, benchmarks). The next `connect()` opens anew. */
export async function disconnect(): Promise<void> {
  const pending = state.__easelConnection;
  state.__easelConnection = undefined;
  if (pending) await (await pending).close();
}

/**
 * On Postgres: `DATABASE_URL` serves the queries, and may point at a pooler (PgBouncer in
 * transaction mode) when `DATABASE_PREPARE=false`. LISTEN needs a session of its own, and so do
 * migrations at their best: both use `DATABASE_LISTEN_URL`, a direct connection, when it is set.
 */
async function openPostgres(url: string): Promise<Connection> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const prepare = process.env.DATABASE_PREPARE !== "false";
  const direct = process.env.DATABASE_LISTEN_URL || url;

  await migratePostgres(direct);

  const pg = postgres(url, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    prepare,
    onnotice: () => {},
  });
  const listener = direct === url ? pg : postgres(direct, { max: 1, onnotice: () => {} });
  return {
    db: drizzle(prepare ? preparing(pg) : pg, { schema }) as unknown as Database,
    driver: "postgres",
    pg,
    query: async <T>(text: string, params: unknown[]) => (await pg.unsafe(text, params as never, { prepare })) as unknown as T[],
    // postgres.js listens on a connection of its own and listens again after a reconnect;
    // `onListen` runs each time it does, so that what was queued meanwhile is looked for.
    listen: async (channel, onNotify, onListen) => {
      const { unlisten } = await listener.listen(channel, (payload) => onNotify(payload), onListen);
      return unlisten;
    },
    close: async () => {
      await Promise.all([pg.end({ timeout: 5 }), listener === pg ? undefined : listener.end({ timeout: 5 })]);
    },
  };
}

/**
 * Applies pending migrations, once, however many processes start together: everything —
 * drizzle's bookkeeping and the migrations — in one transaction that first takes a
 * transaction-scoped advisory lock. The lock ends with the transaction, so that behind a pooler
 * in transaction mode it can never stay behind in a pooled server connection (a session lock
 * did, and every later process hung at start-up).
 */
async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const migrator = postgres(url, { max: 1, prepare: false, onnotice: () => {} });
  try {
    await migrator.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`;
      // drizzle's migrator opens a transaction of its own for the migrations; here it is this one.
      // (drizzle also reads the client's options, which a transaction's handle does not carry.)
      const within = new Proxy(tx, {
        get(target, property, receiver) {
          if (property === "begin") return (fn: (sql: typeof tx) => unknown) => fn(target);
          if (property === "options") return migrator.options;
          return Reflect.get(target, property, receiver);
        },
      });
      await migrate(drizzle(within as unknown as Sql), { migrationsFolder: MIGRATIONS_DIR });
    });
  } finally {
    await migrator.end();
  }
}

/**
 * drizzle runs its queries through postgres.js with `prepare: false`, which makes postgres.js
 * describe every parameterised statement before running it: two round trips per query. This
 * view of the client prepares them instead (cached per connection, keyed by the SQL text), so a
 * query costs one round trip. It applies inside transactions and savepoints too.
 */
function preparing(client: Sql): Sql {
  type Callback = (inner: Sql) => unknown;
  const wrapScope =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const callback = args.pop() as Callback;
      return open(...args, (inner: Sql) => callback(preparing(inner)));
    };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return wrapScope(open.bind(target));
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

async function openPglite(): Promise<Connection> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");

  // `memory://` keeps the database in memory (the test suite uses it: one per test file).
  const inMemory = process.env.EASEL_DATA_DIR === "memory://";
  const directory = inMemory ? undefined : path.join(dataDir(), "pglite");
  const releaseLock = directory ? acquireDataDirLock(directory) : () => {};
  try {
    const client = await PGlite.create(directory);
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    return {
      db: db as unknown as Database,
      driver: "pglite",
      query: async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows,
      listen: async (channel, onNotify, onListen) => {
        const unlisten = await client.listen(channel, (payload) => onNotify(payload));
        onListen?.();
        return unlisten;
      },
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Runs `fn` in a transaction, or inside `outer` when the caller already has one, so that a
 * money movement and the state change that causes it always commit together.
 */
export async function withTransaction<T>(fn: (tx: Transaction) => Promise<T>, outer?: Transaction): Promise<T> {
  if (outer) return fn(outer);
  const db = await getDb();
  return db.transaction(fn);
}

/** The rows of one of our own statements (Connection.query) on the process's database. */
export async function statementRows<T>(text: string, params: unknown[]): Promise<T[]> {
  return (await connect()).query<T>(text, params);
}

/** Rows of a raw SQL query; the two drivers shape `execute` results differently. */
export async function selectRows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

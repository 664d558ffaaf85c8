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
  /** LISTEN on a channel; resolves to the function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

const MIGRATIONS_DIR = path.join(process.cwd(), "db", "migrations");
const MIGRATION_LOCK_ID = 7_412_025; // any constant; serialises migrations across app instances

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

/** Closes the process's connection (CLI, tests, benchmarks). The next `connect()` opens anew. */
export async function disconnect(): Promise<void> {
  const pending = state.__easelConnection;
  state.__easelConnection = undefined;
  if (pending) await (await pending).close();
}

async function openPostgres(url: string): Promise<Connection> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");

  // Migrations run on a connection of their own, under an advisory lock, so that app instances,
  // workers and test processes starting together apply each migration once.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(migrator), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await migrator.end();
  }

  const pg = postgres(url, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    onnotice: () => {},
  });
  return {
    db: drizzle(preparing(pg), { schema }) as unknown as Database,
    driver: "postgres",
    pg,
    // postgres.js listens on a connection of its own and re-listens after a reconnect.
    listen: async (channel, onNotify) => {
      const { unlisten } = await pg.listen(channel, (payload) => onNotify(payload));
      return unlisten;
    },
    close: () => pg.end({ timeout: 5 }),
  };
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
      listen: (channel, onNotify) => client.listen(channel, (payload) => onNotify(payload)),
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

/** Rows of a raw SQL query; the two drivers shape `execute` results differently. */
export async function selectRows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

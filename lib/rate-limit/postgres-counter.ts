import "server-only";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import type { Connection } from "@/db/client";

// rate-limiter-flexible's Postgres store (its Drizzle one, on the rate_limits table), with the
// write every spend makes — an upsert that adds the points, or starts a new window when the
// last one has ended — as one constant statement of our own, prepared and run by the driver.
// Built by the query builder on every call it cost ~250 µs of CPU, against ~100 µs; the
// library's other statements (reads, deletes, the cleanup of expired rows) are its own. Windows
// are timed by this process's clock, as the library times them.

const SPEND = `insert into rate_limits (key, points, expire) values ($1, $2, $3::timestamptz)
  on conflict (key) do update set
    points = case when rate_limits.expire <= $4::timestamptz then excluded.points else rate_limits.points + excluded.points end,
    expire = case when rate_limits.expire <= $4::timestamptz then excluded.expire else rate_limits.expire end
  returning points, expire`;

type Row = { points: number; expire: Date | string | null };
type Upsert = (key: string, points: number, msDuration: number, forceExpire: boolean) => Promise<Row | undefined>;

/** The library's own write (untyped: its types leave the store's methods out). */
const libraryUpsert = (RateLimiterDrizzle.prototype as unknown as { _upsert: Upsert })._upsert;

export class PostgresRateLimiter extends RateLimiterDrizzle {
  private readonly connection: Connection;

  constructor(options: ConstructorParameters<typeof RateLimiterDrizzle>[0], connection: Connection) {
    super(options);
    this.connection = connection;
  }

  /**
   * The store's write, as the library calls it: `points` added to `key`'s window, or a new window
   * when it has ended. A forced new window (the library's `set` and `block`, unused here) is the
   * library's own.
   */
  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<Row | undefined> {
    if (forceExpire) return libraryUpsert.call(this, key, points, msDuration, true);
    const now = Date.now();
    const expire = msDuration > 0 ? new Date(now + msDuration).toISOString() : null;
    const [row] = await this.connection.query<Row>(SPEND, [key, points, expire, new Date(now).toISOString()]);
    return row;
  }
}

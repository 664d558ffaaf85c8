import "server-only";
import { sql } from "drizzle-orm";
import { getDb, selectRows } from "@/db/client";
import { newId } from "@/lib/ids";

// How long a model usually takes: the median time from start to finish of its recent succeeded
// jobs. The dashboard sets a running job's elapsed time against it. One query for every model,
// over the newest jobs only (ids are time-ordered, so the primary key bounds the scan), and
// cached briefly: a typical duration moves over minutes, not per request.

/** The newest succeeded jobs looked at, over all models. */
const SAMPLE = 2_000;
/** Jobs older than this say nothing about how the providers run now. */
const WINDOW_MS = 24 * 60 * 60 * 1000;
const CACHE_MS = 30_000;

/** Model id → median milliseconds from start to finish; models without recent history are absent. */
export type TypicalDurations = ReadonlyMap<string, number>;

export async function queryTypicalDurations(now = Date.now()): Promise<TypicalDurations> {
  // The smallest id a job created at the window's start can have: its time, then all zeros.
  const floor = `job_${newId("x", now - WINDOW_MS).slice(2, 12)}`;
  const db = await getDb();
  const rows = await selectRows<{ model: string; median_ms: number | string }>(
    db,
    sql`select model, percentile_cont(0.5) within group (order by ms) as median_ms
        from (
          select model, extract(epoch from (completed_at - started_at)) * 1000 as ms
          from jobs
          where id >= ${floor} and status = 'succeeded' and started_at is not null and completed_at is not null
          order by id desc
          limit ${SAMPLE}
        ) recent
        group by model`,
  );
  return new Map(rows.map((row) => [row.model, Math.max(0, Math.round(Number(row.median_ms)))]));
}

const cache = globalThis as unknown as { __easelTypicalDurations?: { at: number; value: Promise<TypicalDurations> } };

/** The typical durations, from a cache at most CACHE_MS old; a failed read is not cached. */
export function typicalDurations(): Promise<TypicalDurations> {
  const now = Date.now();
  const hit = cache.__easelTypicalDurations;
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = queryTypicalDurations(now);
  cache.__easelTypicalDurations = { at: now, value };
  value.catch(() => {
    if (cache.__easelTypicalDurations?.value === value) delete cache.__easelTypicalDurations;
  });
  return value;
}

/** Forgets the cached durations (tests). */
export function clearTypicalDurations(): void {
  delete cache.__easelTypicalDurations;
}

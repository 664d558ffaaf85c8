import "server-only";
import { inArray, sql } from "drizzle-orm";
import { getDb, selectRows } from "@/db/client";
import type { Job } from "@/db/schema";

/**
 * Where each queued job stands in the one global queue, which workers drain oldest first
 * (lib/jobs/claim.ts): 1 is next. Other jobs are left out. One query, and only when some of
 * `jobs` are queued; each count walks the partial index of queued jobs (jobs_queued_idx).
 */
export async function queuePositions(jobs: ReadonlyArray<Pick<Job, "id" | "status">>): Promise<Map<string, number>> {
  const queued = jobs.filter((job) => job.status === "queued").map((job) => job.id);
  if (queued.length === 0) return new Map();
  const db = await getDb();
  const rows = await selectRows<{ id: string; ahead: number | string }>(
    db,
    sql`select j.id,
          (select count(*) from jobs q where q.status = 'queued' and (q.created_at, q.id) < (j.created_at, j.id)) as ahead
        from jobs j
        where j.status = 'queued' and ${inArray(sql.raw("j.id"), queued)}`,
  );
  return new Map(rows.map((row) => [row.id, Number(row.ahead) + 1]));
}

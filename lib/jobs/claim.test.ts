// Claims under concurrency, on Postgres: many claimers at once, each bounded by its limit, and
// a fair share for every account.
import "@/lib/testing/isolated-database";
import { and, count, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import { jobs } from "@/db/schema";
import { newId } from "@/lib/ids";
import { createTestAccount } from "@/lib/testing/fixtures";
import { claimJobs } from "./claim";

// A claim must be bounded by its limit whatever plan Postgres picks. The plan that exposed the
// old claim — a nested loop that re-ran the limited, locking sub-select once per row, each run
// skipping the rows the statement had already updated — is one Postgres may choose on its own
// (generic plans of prepared statements, table statistics); this file's own database is made to
// choose it every time.
if (process.env.DATABASE_URL) {
  const { default: postgres } = await import("postgres");
  const url = new URL(process.env.DATABASE_URL);
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  for (const setting of ["plan_cache_mode = force_custom_plan", "enable_hashjoin = off", "enable_mergejoin = off", "enable_material = off", "enable_hashagg = off", "enable_sort = off", "jit = off"]) {
    await admin.unsafe(`alter database "${url.pathname.slice(1)}" set ${setting}`);
  }
  await admin.end();
}

/** Queued jobs inserted directly: claiming reads nothing but the queue (no holds needed here). */
async function queue(accountId: string, n: number, startMs = Date.now()) {
  const db = await getDb();
  const rows = Array.from({ length: n }, (_, i) => ({
    id: newId("job"),
    accountId,
    kind: "generation" as const,
    model: "minimax-image-01",
    prompt: `queued ${i}`,
    params: { size: "1024x1024", width: 1024, height: 1024, n: 1 },
    estimatedMicros: 5_000n,
    createdAt: new Date(startMs + i),
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insert(jobs).values(rows.slice(i, i + 500));
  await db.execute(sql`analyze jobs`); // as autovacuum would, so that the planner knows the queue is long
  return rows.map((row) => row.id);
}

async function processing(accountId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ n: count() })
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), eq(jobs.status, "processing")));
  return row!.n;
}

describe("claiming", () => {
  beforeEach(async () => {
    await (await getDb()).delete(jobs); // each test its own queue
  });

  test("one claim takes at most its limit: each of many concurrent claims, and all of them together", async () => {
    const { account } = await createTestAccount();
    await queue(account.id, 600);
    let claimed = 0;
    let claims = 0;
    // 24 claimers of 5 jobs at a time, for as long as there is work.
    await Promise.all(
      Array.from({ length: 24 }, async (_, worker) => {
        for (;;) {
          const got = await claimJobs({ workerId: `wkr_${worker}`, limit: 5, leaseMs: 60_000 });
          expect(got.length).toBeLessThanOrEqual(5);
          claimed += got.length;
          claims++;
          if (got.length === 0) return;
        }
      }),
    );
    expect(claims).toBeGreaterThan(120);
    expect(claimed).toBe(600);
    expect(await processing(account.id)).toBe(600);
  });

  test("a large queue and a few concurrent claims: what is processing is never more than what was asked", async () => {
    const { account } = await createTestAccount();
    await queue(account.id, 2000);
    let total = 0;
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, worker) => claimJobs({ workerId: `wkr_${worker}`, limit: 50, leaseMs: 60_000 })),
      );
      for (const got of results) expect(got.length).toBeLessThanOrEqual(50);
      total += results.reduce((sum, got) => sum + got.length, 0);
      expect(await processing(account.id)).toBe(total);
    }
    expect(total).toBeLessThanOrEqual(4 * 8 * 50);
  });

  test("fair: the oldest job of the account with the fewest running comes first, turn by turn", async () => {
    const { account: a } = await createTestAccount();
    const { account: b } = await createTestAccount();
    const { account: c } = await createTestAccount();
    const start = Date.now() - 60_000;
    await queue(a.id, 200, start); // A floods first
    const [b1, b2] = await queue(b.id, 2, start + 1_000);
    const [c1] = await queue(c.id, 1, start + 2_000);

    // A's flood is older, yet one claim of 5 goes round the accounts: A, B, C, A, B.
    const first = await claimJobs({ workerId: "wkr_fair", limit: 5, leaseMs: 60_000 });
    const owner = new Map([[a.id, "A"], [b.id, "B"], [c.id, "C"]]);
    expect(first.map((job) => owner.get(job.accountId)).sort()).toEqual(["A", "A", "B", "B", "C"]);
    expect(first.filter((job) => job.accountId !== a.id).map((job) => job.id).sort()).toEqual([b1, b2, c1].sort());

    // A has 2 running and B, C none queued: A's next oldest jobs, in order.
    const next = await claimJobs({ workerId: "wkr_fair", limit: 3, leaseMs: 60_000 });
    expect(next.map((job) => job.accountId)).toEqual([a.id, a.id, a.id]);

    // A has 5 running; a new job of B's goes first, though A's 195 have waited longer.
    const [b3] = await queue(b.id, 1);
    const one = await claimJobs({ workerId: "wkr_fair", limit: 1, leaseMs: 60_000 });
    expect(one.map((job) => job.id)).toEqual([b3]);
  });

  test("fair claims stay bounded and distinct when many workers claim at once", async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, () => createTestAccount()));
    for (const [i, { account }] of accounts.entries()) await queue(account.id, i === 0 ? 400 : 40);
    const seen = new Set<string>();
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (;;) {
          const got = await claimJobs({ workerId: `wkr_many_${worker}`, limit: 7, leaseMs: 60_000 });
          expect(got.length).toBeLessThanOrEqual(7);
          for (const job of got) {
            expect(seen.has(job.id)).toBe(false);
            seen.add(job.id);
          }
          if (got.length === 0) return;
        }
      }),
    );
    expect(seen.size).toBe(600);
  });

  test("reserved slots: a claim with maxRunning passes over accounts with that many jobs running", async () => {
    const { account: a } = await createTestAccount();
    const { account: b } = await createTestAccount();
    await queue(a.id, 10);
    expect(await claimJobs({ workerId: "wkr_reserve", limit: 3, leaseMs: 60_000 })).toHaveLength(3);
    expect(await claimJobs({ workerId: "wkr_reserve", limit: 3, leaseMs: 60_000, maxRunning: 3 })).toEqual([]);
    const [b1] = await queue(b.id, 1);
    const reserved = await claimJobs({ workerId: "wkr_reserve", limit: 3, leaseMs: 60_000, maxRunning: 3 });
    expect(reserved.map((job) => job.id)).toEqual([b1]);
  });
});

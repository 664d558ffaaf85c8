// Jobs of one account submitted at the same moment are accepted together, all or nothing; a
// batch that does not fit falls back to deciding each job alone. Runs on both drivers.
import { and, countDistinct, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import { ledgerEntries } from "@/db/schema";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { listLedgerEntries } from "@/lib/billing/statement";
import { InsufficientCredits } from "@/lib/errors";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob } from "@/lib/testing/jobs";
import type { Principal } from "@/lib/auth/api-keys";

const MINIMAX = { model: "minimax-image-01" }; // $0.005 a job

function submitMany(principal: Principal, bodies: Array<Record<string, unknown>>) {
  return Promise.allSettled(bodies.map((body) => submitJob(principal, body)));
}

/** Statements (transactions) that wrote the account's holds: entries of one share its now(). */
async function holdTransactions(accountId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: countDistinct(ledgerEntries.createdAt) })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.accountId, accountId), eq(ledgerEntries.type, "hold")));
  return row!.n;
}

describe("accepting jobs together", () => {
  test("30 jobs submitted at once are accepted in a few statements, each with its own hold and entry", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const results = await submitMany(principal, Array.from({ length: 30 }, (_, i) => ({ ...MINIMAX, prompt: `together ${i}` })));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);

    const holds = await listLedgerEntries({ accountId: account.id, type: "hold" });
    expect(holds).toHaveLength(30);
    expect(new Set(holds.map((entry) => entry.jobId)).size).toBe(30);
    // Every entry's held-after is its predecessor's plus its own amount: the batch is ordered.
    const ordered = [...holds].sort((a, b) => (a.id < b.id ? -1 : 1));
    ordered.forEach((entry, i) => expect(entry.heldAfterMicros).toBe(5_000n * BigInt(i + 1)));
    expect(await holdTransactions(account.id)).toBeLessThanOrEqual(10);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a batch that does not fit is decided job by job: credit for 3 of 10 accepts exactly 3", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "0.015" });
    const results = await submitMany(principal, Array.from({ length: 10 }, (_, i) => ({ ...MINIMAX, prompt: `scarce ${i}` })));
    const accepted = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(7);
    // 0.015 less three holds of 0.005: nothing left for the other seven.
    for (const error of refused) {
      expect(error).toBeInstanceOf(InsufficientCredits);
      expect(error).toMatchObject({ code: "insufficient_credits", needed: 5_000n, available: 0n });
    }
    expect(await listLedgerEntries({ accountId: account.id, type: "hold" })).toHaveLength(3);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("one idempotency key twice in a batch: one job for both, and the rest of the batch still accepted", async () => {
    const { account, principal } = await createTestAccount({ creditUsd: "1" });
    const keyed = { ...MINIMAX, prompt: "keyed", idempotency_key: "same-moment" };
    const results = await submitMany(principal, [
      keyed,
      ...Array.from({ length: 4 }, (_, i) => ({ ...MINIMAX, prompt: `plain ${i}` })),
      keyed,
      ...Array.from({ length: 4 }, (_, i) => ({ ...MINIMAX, prompt: `plain ${i + 4}` })),
    ]);
    const jobs = results.map((r) => (r.status === "fulfilled" ? r.value : Promise.reject(r.reason)));
    expect(jobs.every((job) => "id" in job)).toBe(true);
    const ids = jobs.map((job) => (job as { id: string }).id);
    expect(ids[0]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(9);
    expect(await listLedgerEntries({ accountId: account.id, type: "hold" })).toHaveLength(9);
    await assertLedgerInvariants({ accountId: account.id });
  });
});

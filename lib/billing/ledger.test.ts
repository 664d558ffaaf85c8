import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { getDb, withTransaction } from "@/db/client";
import { creditAccounts, holds, jobs, ledgerEntries } from "@/db/schema";
import { createJob } from "@/lib/jobs/create";
import { parseGenerationRequest } from "@/lib/jobs/generation-request";
import { InsufficientCredits } from "@/lib/errors";
import { createTestAccount } from "@/lib/testing/fixtures";
import { getBalance } from "./balance";
import { grantCredit } from "./credit";
import { assertLedgerInvariants, checkLedgerInvariants } from "./invariants";
import { settleHolds } from "./ledger";
import { listLedgerEntries } from "./statement";

afterEach(() => assertLedgerInvariants());

async function queuedJob(creditUsd: string, body: Record<string, unknown>) {
  const account = await createTestAccount({ creditUsd });
  const { job } = await createJob({ principal: account.principal, request: parseGenerationRequest(body, "generation") });
  return { ...account, job };
}

/** Marks a job terminal and settles its hold, as the worker and cancel do. */
const finish = (jobId: string, status: "succeeded" | "failed", chargeMicros: bigint) =>
  withTransaction(async (tx) => {
    const settled = (await settleHolds(tx, [{ jobId, chargeMicros }])).get(jobId) ?? null;
    await tx.update(jobs).set({ status, chargedMicros: chargeMicros, completedAt: new Date() }).where(eq(jobs.id, jobId));
    return settled;
  });

describe("settling a hold", () => {
  test("charges what was delivered and releases the rest: 3 of 4 images", async () => {
    const { account, job } = await queuedJob("1", { prompt: "four", n: 4 }); // holds 0.216
    const settled = await finish(job.id, "succeeded", 162_000n);
    expect(settled).toEqual({ chargedMicros: 162_000n, releasedMicros: 54_000n });

    const balance = (await getBalance({ accountId: account.id }))!;
    expect(balance.balanceMicros).toBe(838_000n);
    expect(balance.heldMicros).toBe(0n);
    const entries = await listLedgerEntries({ accountId: account.id, jobId: job.id });
    expect(entries.map((e) => [e.type, e.amountMicros, e.balanceAfterMicros, e.heldAfterMicros])).toEqual([
      ["release", 54_000n, 838_000n, 0n],
      ["charge", 162_000n, 838_000n, 54_000n],
      ["hold", 216_000n, 1_000_000n, 216_000n],
    ]);
  });

  test("happens exactly once: a second settlement changes nothing", async () => {
    const { account, job } = await queuedJob("1", { prompt: "once" });
    expect(await finish(job.id, "failed", 0n)).toEqual({ chargedMicros: 0n, releasedMicros: 54_000n });
    const before = await listLedgerEntries({ accountId: account.id });
    expect(await withTransaction((tx) => settleHolds(tx, [{ jobId: job.id, chargeMicros: 54_000n }]))).toEqual(new Map());
    expect(await listLedgerEntries({ accountId: account.id })).toEqual(before);
  });

  test("never charges more than the hold: the transaction rolls back", async () => {
    const { account, job } = await queuedJob("1", { prompt: "greedy" });
    await expect(finish(job.id, "succeeded", 54_001n)).rejects.toThrow(/outside the hold/);
    const [hold] = await (await getDb()).select().from(holds).where(eq(holds.jobId, job.id));
    expect(hold!.status).toBe("active");
    expect((await getBalance({ accountId: account.id }))!.heldMicros).toBe(54_000n);
  });
});

describe("credit", () => {
  test("a top-up raises balance and lifetime deposits; an adjustment only the balance", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    await grantCredit({ accountId: account.id, amountMicros: 5_000_000n, kind: "topup", paymentRef: `bank:${account.id}` });
    await grantCredit({ accountId: account.id, amountMicros: -500_000n, kind: "adjustment", description: "correction" });
    const balance = (await getBalance({ accountId: account.id }))!;
    expect(balance.balanceMicros).toBe(5_500_000n);
    expect(balance.lifetimeDepositsMicros).toBe(5_000_000n);
    expect(balance.tier.tier).toBe(1);
  });

  test("a negative adjustment cannot take available credit below zero", async () => {
    const { account } = await queuedJob("0.1", { prompt: "holding" }); // 0.054 held, 0.046 available
    const error = await grantCredit({ accountId: account.id, amountMicros: -50_000n, kind: "adjustment" }).catch((e) => e);
    expect(error).toBeInstanceOf(InsufficientCredits);
    expect(error).toMatchObject({ code: "insufficient_credits", needed: 50_000n, available: 46_000n });
    expect((await getBalance({ accountId: account.id }))!.balanceMicros).toBe(100_000n);
  });
});

describe("the invariant checker", () => {
  // Each corruption is made and checked inside one transaction that is then rolled back, so
  // that test files running beside this one on a shared Postgres never see it.
  async function violationsAfter(corrupt: (accountId: string, jobId: string) => ReturnType<typeof sql>) {
    const { account, job } = await queuedJob("1", { prompt: "corrupt me" });
    const rollback = new Error("rollback");
    let found: string[] = [];
    await withTransaction(async (tx) => {
      await tx.execute(corrupt(account.id, job.id));
      found = (await checkLedgerInvariants({ accountId: account.id }, tx)).map((v) => v.invariant);
      throw rollback;
    }).catch((error) => {
      if (error !== rollback) throw error;
    });
    expect(await checkLedgerInvariants({ accountId: account.id })).toEqual([]);
    return found;
  }

  test("finds a balance that does not match the ledger", async () => {
    const found = await violationsAfter((accountId) => sql`update ${creditAccounts} set balance_micros = balance_micros + 1 where id = ${accountId}`);
    expect(found).toContain("balance = Σ topups + Σ adjustments − Σ charges; lifetime deposits = Σ topups");
    expect(found).toContain("the last ledger entry shows the account's balance and held");
  });

  test("finds held that does not match the active holds", async () => {
    const found = await violationsAfter((_, jobId) => sql`update ${holds} set status = 'settled' where job_id = ${jobId}`);
    expect(found).toContain("held = Σ active holds = Σ holds − Σ charges − Σ releases");
    expect(found).toContain("a job has one hold of its estimate, active exactly while the job is queued or processing");
  });

  test("finds a ledger entry whose running totals do not follow", async () => {
    const found = await violationsAfter(
      (accountId) => sql`update ${ledgerEntries} set balance_after_micros = balance_after_micros - 7
        where id = (select min(id) from ledger_entries where account_id = ${accountId})`,
    );
    expect(found).toContain("each entry's balance and held after follow from the previous entry");
  });

  test("finds a terminal job whose charge is not in the ledger", async () => {
    const found = await violationsAfter((_, jobId) => sql`update ${jobs} set status = 'succeeded', charged_micros = 54000 where id = ${jobId}`);
    expect(found).toContain("a terminal job's charged amount is its ledger charge, at most its estimate, and 0 unless it succeeded");
  });
});

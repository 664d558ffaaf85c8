// Races that only a real multi-connection database can show: run with DATABASE_URL set (CI
// does) for them to mean anything. On PGlite they pass trivially, one transaction at a time.
import { describe, expect, test } from "vitest";
import { GET as getBalance } from "@/app/v1/balance/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { POST as cancel } from "@/app/v1/jobs/[id]/cancel/route";
import { GET as listJobs } from "@/app/v1/jobs/route";
import { listLedgerEntries } from "@/lib/billing/statement";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";

const submit = (key: string, body: unknown) => call(generate, apiRequest("/v1/images/generations", { key, body }));
const statuses = (responses: Array<{ status: number }>) =>
  responses.reduce<Record<number, number>>((count, r) => ({ ...count, [r.status]: (count[r.status] ?? 0) + 1 }), {});

describe("under concurrency", () => {
  test("500 parallel submits against a balance that covers 100 → exactly 100 accepted", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "0.5" }); // 100 × $0.005
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) => submit(secret, { model: "minimax-image-01", prompt: `race ${i}` })),
    );
    expect(statuses(responses)).toEqual({ 202: 100, 402: 400 });

    const balance = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(balance.body).toMatchObject({ balance: 0.5, held: 0.5, available: 0 });
    const holds = await listLedgerEntries({ accountId: account.id, type: "hold" });
    expect(holds).toHaveLength(100);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("50 parallel submits with one idempotency key → one job and one hold", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "1" });
    const body = { prompt: "only once", n: 2, idempotency_key: "burst" };
    const responses = await Promise.all(Array.from({ length: 50 }, () => submit(secret, body)));
    expect(statuses(responses)).toEqual({ 202: 1, 200: 49 });
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(49);

    const jobs = await call(listJobs, apiRequest("/v1/jobs", { key: secret }));
    expect(jobs.body.data).toHaveLength(1);
    const holds = await listLedgerEntries({ accountId: account.id, type: "hold" });
    expect(holds).toHaveLength(1);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("two cancels racing → one release", async () => {
    const { secret, account } = await createTestAccount({ creditUsd: "1" });
    for (let round = 0; round < 10; round++) {
      const job = (await submit(secret, { prompt: `cancel race ${round}` })).body;
      const cancelOnce = () => call(cancel, apiRequest(`/v1/jobs/${job.id}/cancel`, { key: secret, method: "POST" }), { id: job.id });
      const responses = await Promise.all([cancelOnce(), cancelOnce()]);
      expect(statuses(responses)).toEqual({ 200: 1, 409: 1 });
      const releases = await listLedgerEntries({ accountId: account.id, type: "release", jobId: job.id });
      expect(releases).toHaveLength(1);
    }
    const balance = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(balance.body).toMatchObject({ balance: 1, held: 0 });
    await assertLedgerInvariants({ accountId: account.id });
  });
});

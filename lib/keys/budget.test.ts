// Per-key spend limits: checked and reserved in the statement that holds a job's estimate, so no
// amount of concurrency spends past them. The parallel tests mean something on Postgres (run
// with DATABASE_URL, as CI does); on PGlite, one statement at a time, they pass trivially.
import "@/lib/testing/isolated-database"; // its jobs stay queued: no other test file's worker or sweeper takes them
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, test, vi } from "vitest";
import { POST as generate } from "@/app/v1/images/generations/route";
import { getDb } from "@/db/client";
import { apiKeys, jobs } from "@/db/schema";
import { createApiKey, type KeyOptions } from "@/lib/auth/api-keys";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { endQueuedJob } from "@/lib/testing/jobs";

const MINIMAX = { model: "minimax-image-01" }; // $0.005 an image
const submit = (key: string, body: Record<string, unknown>) => call(generate, apiRequest("/v1/images/generations", { key, body }));
const statuses = (responses: Array<{ status: number }>) =>
  responses.reduce<Record<number, number>>((count, r) => ({ ...count, [r.status]: (count[r.status] ?? 0) + 1 }), {});

async function limitedKey(accountId: string, usd: number, period: "day" | "month" | "total", options: KeyOptions = {}) {
  return createApiKey({ accountId, name: "limited", spendLimit: { micros: BigInt(usd * 1e6), period }, ...options });
}

async function spentOf(keyId: string): Promise<bigint> {
  const db = await getDb();
  const [key] = await db.select({ spent: apiKeys.spentMicros }).from(apiKeys).where(eq(apiKeys.id, keyId));
  return key!.spent;
}

/** What the key's jobs hold or were charged: the count must always equal it. */
async function heldOrChargedThrough(keyId: string): Promise<bigint> {
  const db = await getDb();
  const rows = await db.select().from(jobs).where(eq(jobs.apiKeyId, keyId));
  return rows.reduce((sum, job) => sum + (job.chargedMicros ?? job.estimatedMicros), 0n);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a key's spend limit", () => {
  test("200 parallel submits of $0.005 on a key limited to $0.50 → exactly 100 accepted", async () => {
    const { account } = await createTestAccount({ creditUsd: "10" });
    const { key, secret } = await limitedKey(account.id, 0.5, "month");
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => submit(secret, { ...MINIMAX, prompt: `budget ${i}` })));
    expect(statuses(responses)).toEqual({ 202: 100, 402: 100 });
    const refusal = responses.find((r) => r.status === 402)!.body.error;
    expect(refusal).toMatchObject({ code: "key_budget_exceeded", limit: 0.5, spent: 0.5, required: 0.005, period: "month" });
    expect(refusal.message).toMatch(/may spend \$0\.50\d* a month and has spent \$0\.50/);
    expect(refusal.resets_at).toMatch(/-01T00:00:00\.000Z$/);

    expect(await spentOf(key.id)).toBe(500_000n);
    expect(await heldOrChargedThrough(key.id)).toBe(500_000n);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("two limited keys of one account share its balance: neither passes its limit, the balance caps both", async () => {
    // Limits of 50 and 100 jobs, a balance for 120: whatever the order, exactly 120 are accepted.
    const { account } = await createTestAccount({ creditUsd: "0.6" });
    const a = await limitedKey(account.id, 0.25, "day");
    const b = await limitedKey(account.id, 0.5, "total");
    const responses = await Promise.all(
      Array.from({ length: 400 }, (_, i) => submit(i % 2 ? a.secret : b.secret, { ...MINIMAX, prompt: `shared ${i}` })),
    );
    expect(statuses(responses)).toEqual({ 202: 120, 402: 280 });
    const codes = new Set(responses.filter((r) => r.status === 402).map((r) => r.body.error.code));
    expect(codes).toContain("insufficient_credits");
    const spentA = await spentOf(a.key.id);
    const spentB = await spentOf(b.key.id);
    expect(spentA).toBeLessThanOrEqual(250_000n);
    expect(spentB).toBeLessThanOrEqual(500_000n);
    expect(spentA).toBe(await heldOrChargedThrough(a.key.id));
    expect(spentB).toBe(await heldOrChargedThrough(b.key.id));
    expect(spentA + spentB).toBe(600_000n);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a failed job gives its reservation back; a partial delivery keeps only what was charged", async () => {
    const { account } = await createTestAccount({ creditUsd: "1" });
    const { key, secret } = await limitedKey(account.id, 0.02, "total");
    const first = await submit(secret, { ...MINIMAX, prompt: "fails", n: 4 });
    expect(first.status).toBe(202);
    expect(await spentOf(key.id)).toBe(20_000n);
    expect((await submit(secret, { ...MINIMAX, prompt: "no room" })).body.error.code).toBe("key_budget_exceeded");

    await endQueuedJob(first.body.id, "failed");
    expect(await spentOf(key.id)).toBe(0n);

    const partial = await submit(secret, { ...MINIMAX, prompt: "two of four", n: 4 });
    expect(partial.status).toBe(202);
    await endQueuedJob(partial.body.id, "succeeded", 10_000n); // two images of four delivered
    expect(await spentOf(key.id)).toBe(10_000n);
    expect(await heldOrChargedThrough(key.id)).toBe(10_000n);
    // Room for exactly two more images, not three.
    expect((await submit(secret, { ...MINIMAX, prompt: "three", n: 3 })).status).toBe(402);
    expect((await submit(secret, { ...MINIMAX, prompt: "two", n: 2 })).status).toBe(202);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a day limit starts again at 00:00 UTC", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-06-30T23:59:58Z"));
    const { account } = await createTestAccount({ creditUsd: "1" });
    const { key, secret } = await limitedKey(account.id, 0.01, "day");
    expect((await submit(secret, { ...MINIMAX, prompt: "late", n: 2 })).status).toBe(202);
    const refused = await submit(secret, { ...MINIMAX, prompt: "too late" });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: "key_budget_exceeded", period: "day", resets_at: "2026-07-01T00:00:00.000Z", spent: 0.01 });

    vi.setSystemTime(new Date("2026-07-01T00:00:00Z"));
    expect((await submit(secret, { ...MINIMAX, prompt: "a new day", n: 2 })).status).toBe(202);
    expect(await spentOf(key.id)).toBe(10_000n);
    expect((await submit(secret, { ...MINIMAX, prompt: "again full" })).status).toBe(402);

    // Yesterday's job failing now gives nothing back to today's count.
    const [yesterday] = (await (await getDb()).select().from(jobs).where(eq(jobs.apiKeyId, key.id))).filter((j) => j.prompt === "late");
    await endQueuedJob(yesterday!.id, "failed");
    expect(await spentOf(key.id)).toBe(10_000n);
    await assertLedgerInvariants({ accountId: account.id });
  });
});

import { afterEach, describe, expect, test } from "vitest";
import { GET as usage } from "@/app/v1/usage/route";
import { grantCredit } from "@/lib/billing/credit";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { endQueuedJob, submitJob } from "@/lib/testing/jobs";
import { assertDocumented } from "@/lib/testing/openapi-check";
import { GET as exportCsv } from "./export/route";
import { GET as ledger } from "./route";

afterEach(() => assertLedgerInvariants());

/** An account with a top-up, a corrected adjustment, one job charged and one canceled. */
async function accountWithHistory() {
  const account = await createTestAccount({ creditUsd: "1" });
  await grantCredit({ accountId: account.account.id, amountMicros: 5_000_000n, kind: "topup", paymentRef: `test_${account.account.id}` });
  await grantCredit({ accountId: account.account.id, amountMicros: -100_000n, kind: "adjustment", description: 'refund, "partial"' });
  const charged = await submitJob(account.principal, { model: "minimax-image-01", prompt: "charged", n: 2 });
  const canceled = await submitJob(account.principal, { prompt: "canceled" });
  await endQueuedJob(charged.id, "succeeded", 10_000n);
  await endQueuedJob(canceled.id, "canceled");
  return { ...account, charged, canceled };
}

const get = (key: string, query = "") => call(ledger, apiRequest(`/v1/ledger${query}`, { key }));

describe("GET /v1/ledger", () => {
  test("every movement, newest first, with its job and model and the balance after it", async () => {
    const { secret, charged, canceled } = await accountWithHistory();
    const response = await get(secret);
    expect(response.status).toBe(200);
    const rows = response.body.data.map((e: Record<string, unknown>) => [e.type, e.amount, e.balance_after, e.held_after, e.model]);
    expect(rows).toEqual([
      ["release", 0.054, 5.89, 0, "recraft-v4"],
      ["charge", 0.01, 5.89, 0.054, "minimax-image-01"],
      ["hold", 0.054, 5.9, 0.064, "recraft-v4"],
      ["hold", 0.01, 5.9, 0.01, "minimax-image-01"],
      ["adjustment", -0.1, 5.9, 0, null],
      ["topup", 5, 6, 0, null],
      ["adjustment", 1, 1, 0, null],
    ]);
    expect(response.body.data[0].job_id).toBe(canceled.id);
    expect(response.body.data[1].job_id).toBe(charged.id);
  });

  test("filters by type and date, and pages with a cursor", async () => {
    const { secret } = await accountWithHistory();
    const holds = await get(secret, "?type=hold");
    expect(holds.body.data.map((e: { type: string }) => e.type)).toEqual(["hold", "hold"]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await get(secret, `?from=${today}&to=${today}`)).body.data).toHaveLength(7);
    expect((await get(secret, "?to=2020-01-01")).body.data).toEqual([]);

    const first = await get(secret, "?limit=3");
    const second = await get(secret, `?limit=3&cursor=${first.body.next_cursor}`);
    const third = await get(secret, `?limit=3&cursor=${second.body.next_cursor}`);
    const ids = [...first.body.data, ...second.body.data, ...third.body.data].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(7);
    expect(third.body.has_more).toBe(false);
  });

  test("never shows another account's entries", async () => {
    await accountWithHistory();
    const { secret } = await createTestAccount({ creditUsd: "1" });
    expect((await get(secret)).body.data).toHaveLength(1);
  });

  test.each([
    ["?type=refund", "type"],
    ["?from=yesterday", "from"],
    ["?from=2026-02-02&to=2026-01-01", "from"],
    ["?limit=1000", "limit"],
    ["?cursor=abc", "cursor"],
  ])("%s → 400", async (query, param) => {
    const { secret } = await createTestAccount();
    const response = await get(secret, query);
    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe(param);
  });
});

describe("GET /v1/ledger/export", () => {
  test("is a CSV of exactly the lines the same filters select", async () => {
    const { secret } = await accountWithHistory();
    for (const query of ["", "?type=adjustment", "?type=charge"]) {
      const request = apiRequest(`/v1/ledger/export${query}`, { key: secret });
      const response = await exportCsv(request, { params: Promise.resolve({}) });
      assertDocumented(request, response, null);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="easel-ledger.*\.csv"$/);
      const csv = await response.text();
      const [header, ...lines] = csv.trimEnd().split("\n");
      expect(header).toBe("id,created_at,type,amount_usd,balance_after_usd,held_after_usd,job_id,model,payment_ref,description");
      const ids = lines.map((line) => line.split(",")[0]);
      const json = await get(secret, query);
      expect(ids).toEqual(json.body.data.map((e: { id: string }) => e.id));
    }
    const adjustments = await (await exportCsv(apiRequest("/v1/ledger/export?type=adjustment", { key: secret }), { params: Promise.resolve({}) })).text();
    expect(adjustments).toContain(',-0.1,5.9,0,,,,"refund, ""partial"""');
  });
});

describe("GET /v1/usage", () => {
  test("spend per day by model, and the balance at the end of each day", async () => {
    const { secret } = await accountWithHistory();
    const response = await call(usage, apiRequest("/v1/usage?days=7", { key: secret }));
    expect(response.status).toBe(200);
    expect(response.body.days).toHaveLength(7);
    const today = response.body.days.at(-1);
    expect(today).toMatchObject({ date: new Date().toISOString().slice(0, 10), spend: { "minimax-image-01": 0.01 }, spend_total: 0.01, balance_end: 5.89 });
    expect(response.body.days[0]).toMatchObject({ spend_total: 0, balance_end: 0 });
  });
});

describe("ledger filters at the edges of time", () => {
  test("dates far in the past or future are answered, not a 500", async () => {
    const { secret } = await accountWithHistory();
    expect((await get(secret, "?to=9999-12-31")).body.data).toHaveLength(7);
    expect((await get(secret, "?from=0001-01-01")).body.data).toHaveLength(7);
    expect((await get(secret, "?from=9999-12-31")).body.data).toEqual([]);
    expect((await get(secret, "?to=0001-01-01")).body.data).toEqual([]);
    expect((await get(secret, "?from=9999-12-31T23:59:59Z&to=9999-12-31")).status).toBe(200);
    const csv = await exportCsv(apiRequest("/v1/ledger/export?to=9999-12-31", { key: secret }), { params: Promise.resolve({}) });
    expect(csv.status).toBe(200);
    expect((await csv.text()).trimEnd().split("\n")).toHaveLength(8);
  });

  test.each(["?to=99999-01-01", "?from=2026-13-45", "?to=+010000-01-01T00:00:00Z", "?from=2026-01-01T25:00:00Z"])("%s → 400 invalid_parameter", async (query) => {
    const { secret } = await createTestAccount();
    const response = await get(secret, query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_parameter");
  });
});

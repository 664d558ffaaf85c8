// The CSV export when its query fails: an error in the API's shape before any byte of CSV, and
// a broken transfer — never a clean end — when a later page fails. The failure is a real one:
// the ledger table is renamed away under the running export (this file has its own database).
import "@/lib/testing/isolated-database";
import { afterEach, describe, expect, test } from "vitest";
import { grantCredit } from "@/lib/billing/credit";
import { hideTable, restoreTable } from "@/lib/testing/broken-table";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { GET as exportCsv } from "./route";

const hideLedger = () => hideTable("ledger_entries");
const restoreLedger = () => restoreTable("ledger_entries");

afterEach(restoreLedger);

describe("GET /v1/ledger/export when the query fails", () => {
  test("answers 500 in the error shape, not a 200 with a header line", async () => {
    const { secret } = await createTestAccount();
    await hideLedger();
    const response = await call(exportCsv, apiRequest("/v1/ledger/export", { key: secret }));
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body.error).toMatchObject({ type: "api_error", code: "internal_error" });
  });

  test("a page that fails after the first aborts the transfer instead of ending the file", async () => {
    const { secret, account } = await createTestAccount();
    // More than one page (500 lines) of entries.
    for (let i = 0; i < 520; i++) await grantCredit({ accountId: account.id, amountMicros: 1n, kind: "adjustment", description: `line ${i}` });
    const response = await exportCsv(apiRequest("/v1/ledger/export", { key: secret }), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^id,created_at,type/);
    await hideLedger();
    const rest = (async () => {
      for (;;) if ((await reader.read()).done) return "ended";
    })();
    await expect(rest).rejects.toThrow();
  });
});

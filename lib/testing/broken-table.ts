// A real database failure for tests of error paths: a table renamed away, so every query of it
// fails as it would in an outage, and renamed back afterwards. Only in a test file with a
// database of its own (import "@/lib/testing/isolated-database" first on Postgres).
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

export async function hideTable(table: "ledger_entries"): Promise<void> {
  await (await getDb()).execute(sql.raw(`alter table ${table} rename to ${table}_hidden`));
}

export async function restoreTable(table: "ledger_entries"): Promise<void> {
  await (await getDb()).execute(sql.raw(`alter table if exists ${table}_hidden rename to ${table}`));
}

import "server-only";
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobs, ledgerEntries, type LedgerEntry, type LedgerEntryType } from "@/db/schema";

export type LedgerFilter = {
  accountId: string;
  type?: LedgerEntryType;
  jobId?: string;
  /** Entries at or after this instant. */
  from?: Date;
  /** Entries before this instant. */
  to?: Date;
  /** Entries older than this id (the last id of the previous page). */
  before?: bigint;
  limit?: number;
};

export type StatementLine = LedgerEntry & { model: string | null };

function conditions(filter: LedgerFilter): SQL[] {
  const where: SQL[] = [eq(ledgerEntries.accountId, filter.accountId)];
  if (filter.type) where.push(eq(ledgerEntries.type, filter.type));
  if (filter.jobId) where.push(eq(ledgerEntries.jobId, filter.jobId));
  if (filter.from) where.push(gte(ledgerEntries.createdAt, filter.from));
  if (filter.to) where.push(lt(ledgerEntries.createdAt, filter.to));
  if (filter.before !== undefined) where.push(lt(ledgerEntries.id, filter.before));
  return where;
}

/** An account's ledger, newest first: the one source for the billing page, the API and tests. */
export async function listLedgerEntries(filter: LedgerFilter): Promise<LedgerEntry[]> {
  const db = await getDb();
  const query = db
    .select()
    .from(ledgerEntries)
    .where(and(...conditions(filter)))
    .orderBy(desc(ledgerEntries.id));
  return filter.limit ? query.limit(filter.limit) : query;
}

/** A page of the statement, with each job's model: what the billing page and the export show. */
export async function statementPage(filter: LedgerFilter & { limit: number }): Promise<{ lines: StatementLine[]; nextCursor: string | null }> {
  const db = await getDb();
  const rows = await db
    .select({ entry: ledgerEntries, model: jobs.model })
    .from(ledgerEntries)
    .leftJoin(jobs, eq(jobs.id, ledgerEntries.jobId))
    .where(and(...conditions(filter)))
    .orderBy(desc(ledgerEntries.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit).map(({ entry, model }) => ({ ...entry, model }));
  return { lines: page, nextCursor: rows.length > filter.limit ? String(page[page.length - 1]!.id) : null };
}

/** Every line the filter selects, a page at a time, for the CSV export. */
export async function* statementLines(filter: LedgerFilter): AsyncGenerator<StatementLine[]> {
  let before = filter.before;
  for (;;) {
    const { lines, nextCursor } = await statementPage({ ...filter, before, limit: 500 });
    if (lines.length > 0) yield lines;
    if (!nextCursor) return;
    before = BigInt(nextCursor);
  }
}

import { ledgerEntryType, type LedgerEntryType } from "@/db/schema";
import { invalidRequest } from "@/lib/http/errors";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A `from`/`to` bound: a date (a whole UTC day; `to` includes it) or an ISO instant. */
function instant(text: string | null, param: "from" | "to"): Date | undefined {
  if (text === null || text === "") return undefined;
  const date = new Date(DAY.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw invalidRequest("invalid_parameter", `${param} must be a date (2026-11-21) or an ISO time.`, param);
  if (param === "to" && DAY.test(text)) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** Reads `?type=&from=&to=` — what the ledger page and the CSV export select. */
export function parseStatementFilter(url: URL) {
  const query = url.searchParams;
  const type = query.get("type") || undefined;
  if (type !== undefined && !(ledgerEntryType.enumValues as readonly string[]).includes(type)) {
    throw invalidRequest("invalid_parameter", `type must be one of ${ledgerEntryType.enumValues.join(", ")}.`, "type");
  }
  const from = instant(query.get("from"), "from");
  const to = instant(query.get("to"), "to");
  if (from && to && from >= to) throw invalidRequest("invalid_parameter", "from must be before to.", "from");
  return { type: type as LedgerEntryType | undefined, from, to };
}

/** The filter and a page of it: `&limit=&cursor=`. */
export function parseStatementPage(url: URL) {
  const query = url.searchParams;
  const limitText = query.get("limit");
  const limit = limitText === null ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalidRequest("invalid_parameter", "limit must be an integer from 1 to 200.", "limit");
  const cursor = query.get("cursor");
  if (cursor !== null && !/^\d{1,18}$/.test(cursor)) throw invalidRequest("invalid_cursor", "cursor must be the next_cursor of a previous page.", "cursor");
  return { ...parseStatementFilter(url), limit, before: cursor === null ? undefined : BigInt(cursor) };
}

// GET /v1/ledger — the caller's ledger, newest first: every hold, charge, release, top-up and adjustment
import { ledgerPageQuerySchema, ledgerPageSchema } from "@/lib/billing/schemas";
import { statementPage } from "@/lib/billing/statement";
import { ledgerEntryJson } from "@/lib/billing/statement-present";
import { api, reply } from "@/lib/http/api";
import { parseQuery } from "@/lib/http/query";

export const GET = api(
  async ({ request, principal }) => {
    const { cursor, ...filter } = parseQuery(ledgerPageQuerySchema, new URL(request.url), { emptyIsAbsent: true });
    const page = await statementPage({ accountId: principal.accountId, ...filter, before: cursor });
    return reply(ledgerPageSchema, {
      object: "list",
      data: page.lines.map(ledgerEntryJson),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  },
  { auth: "key-or-session" },
);

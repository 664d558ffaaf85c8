// GET /v1/ledger — the caller's ledger, newest first: every hold, charge, release, top-up and adjustment
import { statementPage } from "@/lib/billing/statement";
import { ledgerEntryJson } from "@/lib/billing/statement-present";
import { parseStatementPage } from "@/lib/billing/statement-query";
import { api, json } from "@/lib/http/api";

export const GET = api(
  async ({ request, principal }) => {
    const filter = parseStatementPage(new URL(request.url));
    const page = await statementPage({ accountId: principal.accountId, ...filter });
    return json({ object: "list", data: page.lines.map(ledgerEntryJson), has_more: page.nextCursor !== null, next_cursor: page.nextCursor });
  },
  { auth: "key-or-session" },
);

// GET /v1/ledger/export — the ledger lines the same filters select, as CSV, streamed
import { statementLines } from "@/lib/billing/statement";
import { CSV_COLUMNS, csvRows } from "@/lib/billing/statement-present";
import { parseStatementFilter } from "@/lib/billing/statement-query";
import { api } from "@/lib/http/api";

export const GET = api(
  async ({ request, principal }) => {
    const filter = parseStatementFilter(new URL(request.url));
    const pages = statementLines({ accountId: principal.accountId, ...filter });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\n`));
      },
      async pull(controller) {
        const next = await pages.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(csvRows(next.value)));
      },
    });
    const name = ["easel-ledger", filter.type, filter.from?.toISOString().slice(0, 10)].filter(Boolean).join("-");
    return new Response(body, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` },
    });
  },
  { auth: "key-or-session" },
);

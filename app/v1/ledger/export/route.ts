// GET /v1/ledger/export — the ledger lines the same filters select, as CSV, streamed
import { ledgerFilterQuerySchema } from "@/lib/billing/schemas";
import { statementLines } from "@/lib/billing/statement";
import { CSV_COLUMNS, csvRows } from "@/lib/billing/statement-present";
import { api } from "@/lib/http/api";
import { parseQuery } from "@/lib/http/query";

export const GET = api(
  async ({ request, principal, log }) => {
    const filter = parseQuery(ledgerFilterQuerySchema, new URL(request.url), { emptyIsAbsent: true });
    const pages = statementLines({ accountId: principal.accountId, ...filter });
    // The first page is read before answering: a query that fails answers an error, never a
    // 200 with only a header line. A later page that fails aborts the stream, so a client sees
    // a broken transfer, never a file that merely looks complete.
    const first = await pages.next();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\n`));
        if (first.done) controller.close();
        else controller.enqueue(encoder.encode(csvRows(first.value)));
      },
      async pull(controller) {
        try {
          const next = await pages.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(csvRows(next.value)));
        } catch (error) {
          log.error({ err: error }, "the ledger export failed part way; the transfer is aborted");
          controller.error(error);
        }
      },
    });
    const name = ["easel-ledger", filter.type, filter.from?.toISOString().slice(0, 10)].filter(Boolean).join("-");
    return new Response(body, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` },
    });
  },
  { auth: "key-or-session" },
);

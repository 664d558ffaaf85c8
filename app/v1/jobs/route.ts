// GET /v1/jobs — the caller's jobs, newest first, cursor-paginated, filtered by status, model and tier
import { api, reply } from "@/lib/http/api";
import { parseQuery } from "@/lib/http/query";
import { presentJobs } from "@/lib/jobs/present";
import { listJobs } from "@/lib/jobs/queries";
import { jobListFilter, jobListQuerySchema, jobListSchema } from "@/lib/jobs/schemas";

export const GET = api(
  async ({ request, principal, origin }) => {
    const query = parseQuery(jobListQuerySchema, new URL(request.url));
    const page = await listJobs({ accountId: principal.accountId, ...jobListFilter(query) });
    return reply(jobListSchema, {
      object: "list",
      data: await presentJobs(page.jobs, origin, page.images),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  },
  { auth: "key-or-session" },
);

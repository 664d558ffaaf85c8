// GET /v1/jobs — the caller's jobs, newest first, cursor-paginated, filtered by status, model and tier
import { api, json } from "@/lib/http/api";
import { parseJobListQuery } from "@/lib/jobs/list-query";
import { listJobs } from "@/lib/jobs/queries";
import { publicOrigin } from "@/lib/http/origin";
import { presentJobs } from "@/lib/jobs/present";

export const GET = api(
  async ({ request, principal }) => {
    const query = parseJobListQuery(new URL(request.url));
    const page = await listJobs({ accountId: principal.accountId, ...query });
    return json({
      object: "list",
      data: await presentJobs(page.jobs, publicOrigin(request)),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  },
  { auth: "key-or-session" },
);

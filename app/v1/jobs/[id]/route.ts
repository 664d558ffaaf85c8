// GET /v1/jobs/{id} — one of the caller's jobs (404 for anyone else's), images with fresh URLs
import { api, json } from "@/lib/http/api";
import { publicOrigin } from "@/lib/http/origin";
import { presentJob } from "@/lib/jobs/present";
import { getJob } from "@/lib/jobs/queries";

export const GET = api<{ id: string }, "key-or-session">(
  async ({ request, params, principal }) =>
    json(await presentJob(await getJob({ accountId: principal.accountId, jobId: params.id }), publicOrigin(request))),
  { auth: "key-or-session" },
);

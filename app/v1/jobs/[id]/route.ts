// GET /v1/jobs/{id} — one of the caller's jobs (404 for anyone else's), images with fresh URLs
import { api, reply } from "@/lib/http/api";
import { fallbackHeaders } from "@/lib/http/sync-answers";
import { presentJob } from "@/lib/jobs/present";
import { getJob } from "@/lib/jobs/queries";
import { jobObjectSchema } from "@/lib/jobs/schemas";

export const GET = api<{ id: string }, "key-or-session">(
  async ({ params, principal, origin }) => {
    const job = await presentJob(await getJob({ accountId: principal.accountId, jobId: params.id }), origin);
    return reply(jobObjectSchema, job, { headers: fallbackHeaders(job) });
  },
  { auth: "key-or-session" },
);

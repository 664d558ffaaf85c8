// GET /v1/jobs/{id} — one of the caller's jobs (404 for anyone else's), images with fresh URLs
import { api, reply } from "@/lib/http/api";
import { fallbackHeaders } from "@/lib/http/sync-answers";
import { presentJob } from "@/lib/jobs/present";
import { getJobWithImages } from "@/lib/jobs/queries";
import { jobObjectSchema } from "@/lib/jobs/schemas";

export const GET = api<{ id: string }, "key-or-session">(
  async ({ params, principal, origin }) => {
    const { job: row, images } = await getJobWithImages({ accountId: principal.accountId, jobId: params.id });
    const job = await presentJob(row, origin, images);
    return reply(jobObjectSchema, job, { headers: fallbackHeaders(job) });
  },
  { auth: "key-or-session" },
);

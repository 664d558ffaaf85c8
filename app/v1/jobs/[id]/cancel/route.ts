// POST /v1/jobs/{id}/cancel — cancel a queued or processing job and release its hold
import { api, reply } from "@/lib/http/api";
import { cancelJob } from "@/lib/jobs/cancel";
import { presentJob } from "@/lib/jobs/present";
import { jobObjectSchema } from "@/lib/jobs/schemas";

export const POST = api<{ id: string }, "key-or-session">(
  async ({ params, principal, origin }) =>
    reply(jobObjectSchema, await presentJob(await cancelJob({ accountId: principal.accountId, jobId: params.id }), origin)),
  { auth: "key-or-session" },
);

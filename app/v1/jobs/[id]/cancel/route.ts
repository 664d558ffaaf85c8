// POST /v1/jobs/{id}/cancel — cancel a queued or processing job and release its hold
import { api, json } from "@/lib/http/api";
import { publicOrigin } from "@/lib/http/origin";
import { cancelJob } from "@/lib/jobs/cancel";
import { presentJob } from "@/lib/jobs/present";

export const POST = api<{ id: string }, "key-or-session">(
  async ({ request, params, principal }) =>
    json(await presentJob(await cancelJob({ accountId: principal.accountId, jobId: params.id }), publicOrigin(request))),
  { auth: "key-or-session" },
);

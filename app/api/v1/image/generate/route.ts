// POST /api/v1/image/generate — the synchronous image API of other gateways: a job like any other, answered when it ends
import { imageApiRequest, imageApiResponse, imageApiResponseSchema } from "@/lib/compat/image-api";
import { runJobToEnd } from "@/lib/compat/sync-job";
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { fallbackHeaders, neverRetriedAfterAJob } from "@/lib/http/sync-answers";

export const POST = neverRetriedAfterAJob(
  api(
    async ({ request, principal, origin }) => {
      const generation = imageApiRequest(await readJson(request), "generation");
      const job = await runJobToEnd({ principal, request: generation, signal: request.signal });
      return reply(imageApiResponseSchema, await imageApiResponse(job, origin), { headers: { "X-Easel-Job-Id": job.id, ...fallbackHeaders(job) } });
    },
    { auth: "key-or-session", limit: "create" },
  ),
);

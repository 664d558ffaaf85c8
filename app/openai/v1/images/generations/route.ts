// POST /openai/v1/images/generations — the OpenAI Images API: a job like any other, answered when it ends
import { openAiGeneration } from "@/lib/compat/openai-requests";
import { openAiImagesResponse } from "@/lib/compat/openai-response";
import { openAiImagesResponseSchema } from "@/lib/compat/openai-images";
import { runJobToEnd } from "@/lib/compat/sync-job";
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { fallbackHeaders, neverRetriedAfterAJob } from "@/lib/http/sync-answers";

export const POST = neverRetriedAfterAJob(
  api(
    async ({ request, principal, origin }) => {
      const { request: generation, answer } = openAiGeneration(await readJson(request), request.headers.get("idempotency-key"));
      const job = await runJobToEnd({ principal, request: generation, signal: request.signal });
      return reply(openAiImagesResponseSchema, await openAiImagesResponse(job, answer, origin), {
        headers: { "X-Easel-Job-Id": job.id, ...fallbackHeaders(job) },
      });
    },
    { auth: "key-or-session", limit: "create" },
  ),
);

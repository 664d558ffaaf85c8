// POST /openai/v1/images/edits — the OpenAI Images API's edits (multipart: image or image[], mask), answered when the job ends
import { MAX_EDIT_BODY_BYTES, openAiEdit } from "@/lib/compat/openai-requests";
import { openAiImagesResponse } from "@/lib/compat/openai-response";
import { openAiImagesResponseSchema } from "@/lib/compat/openai-images";
import { runJobToEnd } from "@/lib/compat/sync-job";
import { api, reply } from "@/lib/http/api";
import { readMultipartForm } from "@/lib/http/multipart";
import { fallbackHeaders, neverRetriedAfterAJob } from "@/lib/http/sync-answers";

export const POST = neverRetriedAfterAJob(
  api(
    async ({ request, principal, origin }) => {
      const { fields, files } = await readMultipartForm(request, { maxBytes: MAX_EDIT_BODY_BYTES });
      const { request: edit, answer } = await openAiEdit({
        accountId: principal.accountId,
        fields,
        files,
        origin,
        idempotencyKey: request.headers.get("idempotency-key"),
      });
      const job = await runJobToEnd({ principal, request: edit, signal: request.signal });
      return reply(openAiImagesResponseSchema, await openAiImagesResponse(job, answer, origin), {
        headers: { "X-Easel-Job-Id": job.id, ...fallbackHeaders(job) },
      });
    },
    { auth: "key-or-session", limit: "create" },
  ),
);

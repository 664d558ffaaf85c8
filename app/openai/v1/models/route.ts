// GET /openai/v1/models — the catalogue, as the OpenAI API lists models
import { openAiModelListSchema, openAiModels } from "@/lib/compat/openai-models";
import { api, reply } from "@/lib/http/api";

export const GET = api(async () => reply(openAiModelListSchema, openAiModels(), { headers: { "Cache-Control": "public, max-age=60" } }), {
  auth: "key-or-session",
});

// GET /openai/v1/models/{id} — one model, as the OpenAI API shows it (404 model_not_found)
import { openAiModel, openAiModelSchema } from "@/lib/compat/openai-models";
import { api, reply } from "@/lib/http/api";

export const GET = api<{ id: string }, "key-or-session">(async ({ params }) => reply(openAiModelSchema, openAiModel(params.id)), {
  auth: "key-or-session",
});

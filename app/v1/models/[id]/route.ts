// GET /v1/models/{id} — one model of the catalogue, with its typical duration (404 unknown_model)
import { servedModel } from "@/lib/catalog/served";
import { modelSchema } from "@/lib/catalog/schemas";
import { api, reply } from "@/lib/http/api";

export const GET = api<{ id: string }, "none">(
  async ({ params }) => reply(modelSchema, await servedModel(params.id), { headers: { "Cache-Control": "public, max-age=60" } }),
  { auth: "none" },
);

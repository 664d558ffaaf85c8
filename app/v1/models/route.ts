// GET /v1/models — the catalogue; ?tier=quality|fast|cheap and ?capability=vector|edit|... filter it
import type { Capability } from "@/lib/catalog";
import { servedModels } from "@/lib/catalog/served";
import { modelListSchema, modelsQuerySchema } from "@/lib/catalog/schemas";
import { api, reply } from "@/lib/http/api";
import { parseQuery } from "@/lib/http/query";

export const GET = api(
  async ({ request }) => {
    const { tier, capability } = parseQuery(modelsQuerySchema, new URL(request.url));
    const models = await servedModels({ tier, capability: capability as Capability | undefined });
    return reply(modelListSchema, { object: "list", data: models }, { headers: { "Cache-Control": "public, max-age=60" } });
  },
  { auth: "none" },
);

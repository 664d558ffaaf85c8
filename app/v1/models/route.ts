// GET /v1/models — the catalogue; ?tier=quality|fast|cheap and ?capability=vector|edit|... filter it
import { CAPABILITIES, MODEL_TIERS } from "@/lib/catalog/present";
import { servedModels } from "@/lib/catalog/served";
import type { Capability, Tier } from "@/lib/catalog";
import { api, json } from "@/lib/http/api";
import { invalidRequest } from "@/lib/http/errors";

export const GET = api(
  async ({ request }) => {
    const query = new URL(request.url).searchParams;
    const tier = query.get("tier") ?? undefined;
    const capability = query.get("capability") ?? undefined;
    if (tier !== undefined && !(MODEL_TIERS as readonly string[]).includes(tier)) {
      throw invalidRequest("invalid_parameter", `tier must be one of ${MODEL_TIERS.join(", ")}.`, "tier");
    }
    if (capability !== undefined && !(CAPABILITIES as readonly string[]).includes(capability)) {
      throw invalidRequest("invalid_parameter", `capability must be one of ${CAPABILITIES.join(", ")}.`, "capability");
    }
    const models = await servedModels({ tier: tier as Tier | undefined, capability: capability as Capability | undefined });
    return json(
      { object: "list", data: models },
      { headers: { "Cache-Control": "public, max-age=60" } },
    );
  },
  { auth: "none" },
);

// POST /v1/pricing/estimate — what a generation body would cost, validated as a real submit
import { estimateJson } from "@/lib/catalog/present";
import { estimateSchema } from "@/lib/catalog/schemas";
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { parseGenerationRequest } from "@/lib/jobs/generation-request";

export const POST = api(
  async ({ request }) => {
    const parsed = parseGenerationRequest(await readJson(request), "generation");
    return reply(estimateSchema, estimateJson(parsed.model, parsed.params, parsed.estimate));
  },
  { auth: "none" },
);

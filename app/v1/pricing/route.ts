// GET /v1/pricing — every model's list price (1.35× markup included), cacheable for 60 s
import { MODELS } from "@/lib/catalog";
import { pricingJson } from "@/lib/catalog/present";
import { pricingListSchema } from "@/lib/catalog/schemas";
import { api, reply } from "@/lib/http/api";

export const GET = api(
  async () =>
    reply(
      pricingListSchema,
      {
        object: "list",
        currency: "usd",
        markup: 1.35,
        data: MODELS.map((model) => ({ model: model.id, legacy: model.legacy, ...pricingJson(model) })),
      },
      { headers: { "Cache-Control": "public, max-age=60" } },
    ),
  { auth: "none" },
);

// GET /v1/webhooks/deliveries/{id} — one delivery with every attempt (404 for anyone else's)
import { api, reply } from "@/lib/http/api";
import { getDelivery } from "@/lib/webhooks/deliveries";
import { deliveryJson } from "@/lib/webhooks/present";
import { webhookDeliverySchema } from "@/lib/webhooks/schemas";

export const GET = api<{ id: string }, "key-or-session">(
  async ({ params, principal }) =>
    reply(webhookDeliverySchema, deliveryJson(await getDelivery({ accountId: principal.accountId, deliveryId: params.id }))),
  { auth: "key-or-session" },
);

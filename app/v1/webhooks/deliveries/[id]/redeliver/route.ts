// POST /v1/webhooks/deliveries/{id}/redeliver — one more attempt now, same webhook-id (202)
import { api, reply } from "@/lib/http/api";
import { redeliver } from "@/lib/webhooks/deliveries";
import { deliveryJson } from "@/lib/webhooks/present";
import { webhookDeliverySchema } from "@/lib/webhooks/schemas";

export const POST = api<{ id: string }, "key-or-session">(
  async ({ params, principal }) =>
    reply(webhookDeliverySchema, deliveryJson(await redeliver({ accountId: principal.accountId, deliveryId: params.id })), { status: 202 }),
  { auth: "key-or-session" },
);

// POST /v1/webhooks/endpoints/{id}/test — send a `webhook.test` event to this endpoint (202)
import { api, json } from "@/lib/http/api";
import { sendTestEvent } from "@/lib/webhooks/endpoints";

export const POST = api<{ id: string }, "key-or-session">(
  async ({ params, principal }) => {
    const { eventId } = await sendTestEvent({ accountId: principal.accountId, endpointId: params.id });
    return json({ object: "webhook_event", id: eventId, type: "webhook.test", endpoint_id: params.id }, { status: 202 });
  },
  { auth: "key-or-session" },
);

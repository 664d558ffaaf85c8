// POST /v1/webhooks/endpoints/{id}/test — send a `webhook.test` event to this endpoint (202)
import { api, reply } from "@/lib/http/api";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import { TEST_EVENT_TYPE } from "@/lib/webhooks/events";
import { webhookTestEventSchema } from "@/lib/webhooks/schemas";

export const POST = api<{ id: string }, "key-or-session">(
  async ({ params, principal }) => {
    const { eventId } = await sendTestEvent({ accountId: principal.accountId, endpointId: params.id });
    return reply(webhookTestEventSchema, { object: "webhook_event", id: eventId, type: TEST_EVENT_TYPE, endpoint_id: params.id }, { status: 202 });
  },
  { auth: "key-or-session" },
);

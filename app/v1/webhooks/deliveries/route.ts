// GET /v1/webhooks/deliveries — the delivery log, newest first, cursor-paginated, filtered by
// endpoint_id, event_type and status; each delivery with its attempts
import { api, reply } from "@/lib/http/api";
import { parseQuery } from "@/lib/http/query";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveryJson } from "@/lib/webhooks/present";
import { deliveryListQuerySchema, webhookDeliveryListSchema } from "@/lib/webhooks/schemas";

export const GET = api(
  async ({ request, principal }) => {
    const query = parseQuery(deliveryListQuerySchema, new URL(request.url));
    const page = await listDeliveries({
      accountId: principal.accountId,
      limit: query.limit,
      endpointId: query.endpoint_id,
      eventType: query.event_type,
      status: query.status,
      cursor: query.cursor,
    });
    return reply(webhookDeliveryListSchema, {
      object: "list",
      data: page.deliveries.map(deliveryJson),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  },
  { auth: "key-or-session" },
);

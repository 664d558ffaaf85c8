// GET /v1/webhooks/deliveries — the delivery log, newest first, cursor-paginated, filtered by
// endpoint_id, event_type and status; each delivery with its attempts
import { api, json } from "@/lib/http/api";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveryJson } from "@/lib/webhooks/present";
import { parseDeliveryListQuery } from "@/lib/webhooks/requests";

export const GET = api(
  async ({ request, principal }) => {
    const query = parseDeliveryListQuery(new URL(request.url).searchParams);
    const page = await listDeliveries({ accountId: principal.accountId, ...query });
    return json({
      object: "list",
      data: page.deliveries.map(deliveryJson),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  },
  { auth: "key-or-session" },
);

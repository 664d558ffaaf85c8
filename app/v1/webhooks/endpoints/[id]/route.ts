// GET /v1/webhooks/endpoints/{id} — one endpoint (404 for anyone else's)
// PATCH /v1/webhooks/endpoints/{id} — change its URL, events, description; `enabled: true` re-enables it
// DELETE /v1/webhooks/endpoints/{id} — delete it; its pending deliveries fail, its log stays
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";
import { endpointJson } from "@/lib/webhooks/present";
import { parseUpdateEndpoint } from "@/lib/webhooks/requests";
import { webhookEndpointDeletedSchema, webhookEndpointSchema } from "@/lib/webhooks/schemas";

type Params = { id: string };

export const GET = api<Params, "key-or-session">(
  async ({ params, principal }) =>
    reply(webhookEndpointSchema, endpointJson(await getEndpoint({ accountId: principal.accountId, endpointId: params.id }))),
  { auth: "key-or-session" },
);

export const PATCH = api<Params, "key-or-session">(
  async ({ request, params, principal }) => {
    const input = parseUpdateEndpoint(await readJson(request));
    return reply(webhookEndpointSchema, endpointJson(await updateEndpoint({ accountId: principal.accountId, endpointId: params.id, ...input })));
  },
  { auth: "key-or-session" },
);

export const DELETE = api<Params, "key-or-session">(
  async ({ params, principal }) => {
    await deleteEndpoint({ accountId: principal.accountId, endpointId: params.id });
    return reply(webhookEndpointDeletedSchema, { id: params.id, object: "webhook_endpoint", deleted: true });
  },
  { auth: "key-or-session" },
);

// GET /v1/webhooks/endpoints — the caller's webhook endpoints
// POST /v1/webhooks/endpoints — register one; its signing secret is in this answer only
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { endpointJson } from "@/lib/webhooks/present";
import { parseCreateEndpoint } from "@/lib/webhooks/requests";
import { webhookEndpointListSchema, webhookEndpointWithSecretSchema } from "@/lib/webhooks/schemas";

export const GET = api(
  async ({ principal }) => {
    const endpoints = await listEndpoints({ accountId: principal.accountId });
    return reply(webhookEndpointListSchema, { object: "list", data: endpoints.map((endpoint) => endpointJson(endpoint)), has_more: false });
  },
  { auth: "key-or-session" },
);

export const POST = api(
  async ({ request, principal }) => {
    const input = parseCreateEndpoint(await readJson(request));
    const { endpoint, secret } = await createEndpoint({ accountId: principal.accountId, ...input });
    return reply(
      webhookEndpointWithSecretSchema,
      { ...endpointJson(endpoint), secret },
      { status: 201, headers: { Location: `/v1/webhooks/endpoints/${endpoint.id}` } },
    );
  },
  { auth: "key-or-session" },
);

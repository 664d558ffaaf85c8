// POST /v1/webhooks/endpoints/{id}/rotate-secret — a new signing secret (in this answer only);
// the previous one keeps signing beside it for a day
import { api, reply } from "@/lib/http/api";
import { rotateSecret } from "@/lib/webhooks/endpoints";
import { endpointJson } from "@/lib/webhooks/present";
import { webhookEndpointWithSecretSchema } from "@/lib/webhooks/schemas";

export const POST = api<{ id: string }, "key-or-session">(
  async ({ params, principal }) => {
    const { endpoint, secret } = await rotateSecret({ accountId: principal.accountId, endpointId: params.id });
    return reply(webhookEndpointWithSecretSchema, { ...endpointJson(endpoint), secret });
  },
  { auth: "key-or-session" },
);

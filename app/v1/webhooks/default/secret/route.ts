// GET /v1/webhooks/default/secret — the secret that signs deliveries to a request's own
// webhook_url (endpoints have their own), as Replicate's API names it
import { api, reply } from "@/lib/http/api";
import { webhookSigningSecretSchema } from "@/lib/webhooks/schemas";
import { accountSigningSecret } from "@/lib/webhooks/secrets";

export const GET = api(async ({ principal }) => reply(webhookSigningSecretSchema, { key: accountSigningSecret(principal.accountId) }), {
  auth: "key-or-session",
});

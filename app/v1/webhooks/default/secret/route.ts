// GET /v1/webhooks/default/secret — the secret that signs deliveries to a request's own
// webhook_url (endpoints have their own), as Replicate's API names it
import { api, json } from "@/lib/http/api";
import { accountSigningSecret } from "@/lib/webhooks/secrets";

export const GET = api(async ({ principal }) => json({ key: accountSigningSecret(principal.accountId) }), { auth: "key-or-session" });

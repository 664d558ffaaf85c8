import "server-only";
import { derivedKey } from "@/lib/server/secrets";
import type { WebhookEndpoint } from "@/db/schema";

/**
 * The account's signing secret for the `webhook_url` of single requests (GET
 * /v1/webhooks/default/secret), derived from the root secret: nothing to store, the same in
 * every process. Endpoints have secrets of their own.
 */
export function accountSigningSecret(accountId: string): string {
  return `whsec_${derivedKey(`webhooks:${accountId}`).toString("base64")}`;
}

/** The secrets that sign an endpoint's deliveries now: its own, and the previous one while a rotation lasts. */
export function endpointSecrets(endpoint: Pick<WebhookEndpoint, "secret" | "previousSecret" | "previousSecretExpiresAt">, now = new Date()) {
  const previous = endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? [endpoint.previousSecret] : [];
  return [endpoint.secret, ...previous];
}

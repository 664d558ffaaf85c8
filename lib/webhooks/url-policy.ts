import "server-only";
import { isForbiddenAddress } from "@/lib/net/ip-policy";
import { checkedAddresses, checkedLiteral, checkedUrl, SafePostError, type ResolvedAddress } from "@/lib/net/safe-post";
import { invalidInput } from "@/lib/errors";
import { webhookConfig } from "./config";

// Where webhooks may go, checked when a receiver is saved (and again at every delivery by the
// SSRF-safe POST: DNS can change). https only, public addresses only — unless
// EASEL_ALLOW_PRIVATE_WEBHOOKS=1, for receivers on this machine in development and tests.

const MAX_URL_LENGTH = 2048;

export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** Syntax and, for an IP literal, the address: what can be known without DNS (job requests). */
export function checkWebhookUrlSyntax(url: string, param: string): string {
  const { allowPrivate } = webhookConfig();
  if (url.length > MAX_URL_LENGTH) throw invalidInput("invalid_webhook_url", `The webhook URL is longer than ${MAX_URL_LENGTH} characters.`, param);
  try {
    const parsed = checkedUrl(url, allowPrivate);
    if (!allowPrivate) checkedLiteral(parsed);
    return parsed.href;
  } catch (error) {
    throw refusal(error, param);
  }
}

/** The full check of an endpoint's URL: syntax, then every address its host resolves to. */
export async function checkWebhookUrl(url: string, param: string, lookup?: Lookup): Promise<string> {
  const href = checkWebhookUrlSyntax(url, param);
  const { allowPrivate } = webhookConfig();
  if (allowPrivate) return href;
  try {
    await checkedAddresses(new URL(href), lookup ?? systemLookup, isForbiddenAddress);
  } catch (error) {
    throw refusal(error, param);
  }
  return href;
}

function refusal(error: unknown, param: string) {
  if (!(error instanceof SafePostError)) return error;
  const https = "Webhook URLs must be https:// and reach a public address.";
  return invalidInput("invalid_webhook_url", `${error.message} ${https}`, param);
}

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const { lookup } = await import("node:dns/promises");
  const found = await lookup(hostname, { all: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

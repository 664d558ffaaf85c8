// Standard Webhooks signatures (standardwebhooks.com): any of its verifiers, and Replicate's,
// accept what Easel sends.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "whsec_";

/** A new signing secret: `whsec_` and the base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error("A webhook signing secret starts with whsec_");
  return Buffer.from(secret.slice(PREFIX.length), "base64");
}

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` keyed by the secret's bytes. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/**
 * The headers of one delivery. `webhook-id` is the event's id, the same for every retry and
 * redelivery, so receivers can drop duplicates; with two secrets (during a rotation) the
 * signature header carries both, space-separated, and a receiver holding either accepts it.
 */
export function signedHeaders(input: { id: string; timestamp: number; body: string; secrets: readonly string[] }) {
  if (input.secrets.length === 0) throw new Error("A delivery needs at least one secret");
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(input.timestamp),
    "webhook-signature": input.secrets.map((secret) => signature(secret, input.id, input.timestamp, input.body)).join(" "),
  };
}

/** Whether `header` carries a valid v1 signature of the message under `secret` (tests, tools). */
export function hasValidSignature(secret: string, id: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(signature(secret, id, timestamp, body));
  return header.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/lib/server/secrets";

// Files are served only through signed, expiring URLs: /v1/files/{id}?expires=…&sig=…, where
// sig = HMAC-SHA256(key, "{id}.{expires}"). The URL is the capability; no session is needed,
// so an <img> tag, a download link or an upstream provider can use it until it expires.

const DEFAULT_TTL_SECONDS = 60 * 60;
/** Expiry is rounded up to this, so that polls within it get the same URL and caches work. */
const EXPIRY_STEP_SECONDS = 15 * 60;
const FILE_PATH = /^\/v1\/files\/(file_[0-9a-z]{26})$/;

let signingKey: Buffer | undefined;
/** Signatures made lately: an image's URL and its thumbnail's share one, and polls repeat them. */
const recent = new Map<string, string>();
const RECENT_MAX = 10_000;

function signature(fileId: string, expires: number): string {
  const message = `${fileId}.${expires}`;
  let sig = recent.get(message);
  if (sig === undefined) {
    // The key is derived once: a gallery page signs a hundred URLs.
    signingKey ??= derivedKey("file-urls");
    sig = createHmac("sha256", signingKey).update(message).digest("base64url");
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
    recent.set(message, sig);
  }
  return sig;
}

let lastOrigin = { given: "", origin: "" };

/** `origin` as URL serialises it (no path, no trailing slash); callers pass the same one. */
function originOf(given: string): string {
  if (lastOrigin.given !== given) lastOrigin = { given, origin: new URL(given).origin };
  return lastOrigin.origin;
}

/**
 * When a URL made now stops working, and the start of the step `now` is in: the same for every
 * URL made within one step, so that a client polling a job sees the same URLs.
 */
export function urlWindow(options: { ttlSeconds?: number; now?: number } = {}): { expires: number; stepStart: number; stepEnd: number } {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const expires = Math.ceil((now + (options.ttlSeconds ?? DEFAULT_TTL_SECONDS)) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
  const stepStart = Math.floor(now / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
  return { expires, stepStart, stepEnd: stepStart + EXPIRY_STEP_SECONDS };
}

export function signFileUrl(
  fileId: string,
  origin: string,
  options: { ttlSeconds?: number; now?: number; variant?: "thumbnail" } = {},
) {
  const { expires } = urlWindow(options);
  // Built as text: the id, the number and the base64url signature need no escaping, so this is
  // what URL would serialise, without parsing one per image.
  const variant = options.variant ? `&variant=${options.variant}` : "";
  const url = `${originOf(origin)}/v1/files/${fileId}?expires=${expires}&sig=${signature(fileId, expires)}${variant}`;
  return { url, expiresAt: new Date(expires * 1000) };
}

export type SignatureCheck = "valid" | "expired" | "invalid";

export function checkFileSignature(fileId: string, expiresText: string | null, sig: string | null, now = Date.now()): SignatureCheck {
  const expires = Number(expiresText);
  if (!sig || !Number.isSafeInteger(expires)) return "invalid";
  const expected = Buffer.from(signature(fileId, expires));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  return expires * 1000 < now ? "expired" : "valid";
}

/**
 * The file id of one of our own signed file URLs (any origin: the signature, not the host,
 * says it is ours), or null. Expiry is not checked: a job keeps the URL it was given.
 */
export function ownFileId(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const fileId = FILE_PATH.exec(parsed.pathname)?.[1];
  if (!fileId) return null;
  const check = checkFileSignature(fileId, parsed.searchParams.get("expires"), parsed.searchParams.get("sig"), 0);
  return check === "valid" ? fileId : null;
}

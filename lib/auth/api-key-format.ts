// The API key format (docs/product-rules.md, "Keys"): `esk_` + 32 random base62 characters + a 6-character base62
// CRC32 checksum of them, as GitHub's tokens. A mistyped key is refused without a database
// lookup, and secret scanners can recognise a leaked one by its shape.
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_PREFIX = "esk_";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}([0-9A-Za-z]{${RANDOM_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);
/** How much of a key is shown in lists: `esk_` and the first 8 random characters. */
const VISIBLE_LENGTH = KEY_PREFIX.length + 8;

function checksum(random: string): string {
  let value = crc32(random);
  let text = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    text = BASE62[value % 62] + text;
    value = Math.floor(value / 62);
  }
  return text;
}

function randomBase62(length: number): string {
  let text = "";
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 62 × 4: rejecting the rest keeps every character equally likely.
      if (byte < 248 && text.length < length) text += BASE62[byte % 62];
    }
  }
  return text;
}

export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const random = randomBase62(RANDOM_LENGTH);
  const secret = `${KEY_PREFIX}${random}${checksum(random)}`;
  return { secret, prefix: secret.slice(0, VISIBLE_LENGTH), hash: hashApiKey(secret) };
}

/** True when `secret` has the shape of an Easel key and its checksum matches. */
export function isWellFormedApiKey(secret: string): boolean {
  const match = KEY_PATTERN.exec(secret);
  return match !== null && checksum(match[1]!) === match[2];
}

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

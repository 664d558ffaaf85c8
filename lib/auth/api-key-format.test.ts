import { describe, expect, test } from "vitest";
import { generateApiKey, hashApiKey, isWellFormedApiKey } from "./api-key-format";

describe("API key format", () => {
  test("esk_ + 32 base62 + 6 checksum characters, with a visible prefix and a SHA-256 hash", () => {
    const { secret, prefix, hash } = generateApiKey();
    expect(secret).toMatch(/^esk_[0-9A-Za-z]{38}$/);
    expect(prefix).toBe(secret.slice(0, 12));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashApiKey(secret));
    expect(isWellFormedApiKey(secret)).toBe(true);
  });

  test("keys are distinct", () => {
    const secrets = new Set(Array.from({ length: 200 }, () => generateApiKey().secret));
    expect(secrets.size).toBe(200);
  });

  test("any single-character typo breaks the checksum", () => {
    const { secret } = generateApiKey();
    for (let i = 4; i < secret.length; i++) {
      const replacement = secret[i] === "a" ? "b" : "a";
      const typo = secret.slice(0, i) + replacement + secret.slice(i + 1);
      expect(isWellFormedApiKey(typo), `typo at ${i}`).toBe(false);
    }
  });

  test.each(["", "esk_", "sk_live_123", `esk_${"a".repeat(38)}`, `ESK_${"a".repeat(38)}`])("refuses %j", (text) => {
    expect(isWellFormedApiKey(text)).toBe(false);
  });
});

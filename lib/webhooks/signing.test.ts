import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { parseRetryAfter, retryDelayMs, DEFAULT_RETRY_SCHEDULE_MS } from "./config";
import { hasValidSignature, newSigningSecret, signature, signedHeaders } from "./signing";

describe("Standard Webhooks signatures", () => {
  test("the same signature as the standardwebhooks package makes, and it verifies ours", () => {
    const secret = newSigningSecret();
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    const body = JSON.stringify({ id: "evt_1", type: "job.succeeded", data: { ok: true } });
    const at = new Date(1_800_000_000_000);
    const ours = signature(secret, "evt_1", at.getTime() / 1000, body);
    expect(ours).toBe(new Webhook(secret).sign("evt_1", at, body));
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders({ id: "evt_1", timestamp: now, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(hasValidSignature(secret, "evt_1", now, body, headers["webhook-signature"])).toBe(true);
  });

  test("two secrets: two signatures, either verifies", () => {
    const [a, b] = [newSigningSecret(), newSigningSecret()];
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders({ id: "evt_2", timestamp: now, body: "{}", secrets: [a, b] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    for (const secret of [a, b]) new Webhook(secret).verify("{}", headers);
    expect(() => new Webhook(newSigningSecret()).verify("{}", headers)).toThrow();
  });
});

describe("the retry schedule", () => {
  test("about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h (±10 %), then none", () => {
    const expected = [5e3, 3e5, 1.8e6, 7.2e6, 1.8e7, 3.6e7, 8.64e7];
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual(expected);
    expected.forEach((base, i) => {
      expect(retryDelayMs(i + 1, DEFAULT_RETRY_SCHEDULE_MS, { random: () => 0 })).toBe(Math.round(base * 0.9));
      expect(retryDelayMs(i + 1, DEFAULT_RETRY_SCHEDULE_MS, { random: () => 1 })).toBe(Math.round(base * 1.1));
    });
    expect(retryDelayMs(8, DEFAULT_RETRY_SCHEDULE_MS)).toBeNull();
  });

  test("Retry-After: never sooner than asked, capped at a day; seconds or an HTTP date", () => {
    expect(retryDelayMs(1, [5_000], { retryAfterMs: 60_000, random: () => 0.5 })).toBe(60_000);
    expect(retryDelayMs(1, [5_000], { retryAfterMs: 1_000, random: () => 0.5 })).toBe(5_000);
    expect(retryDelayMs(1, [5_000], { retryAfterMs: 1e12, random: () => 0.5 })).toBe(86_400_000);
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});

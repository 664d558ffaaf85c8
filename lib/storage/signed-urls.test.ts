import { describe, expect, test } from "vitest";
import { checkFileSignature, ownFileId, signFileUrl } from "./signed-urls";

const FILE = "file_01m7xsg3td78p5jkg9dkay3nqw";

describe("signed file URLs", () => {
  test("a fresh URL verifies, and expires when its time is up", () => {
    const { url, expiresAt } = signFileUrl(FILE, "http://localhost:3000", { ttlSeconds: 60 });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe(`/v1/files/${FILE}`);
    const check = (now: number) => checkFileSignature(FILE, parsed.searchParams.get("expires"), parsed.searchParams.get("sig"), now);
    expect(check(Date.now())).toBe("valid");
    expect(check(expiresAt.getTime() + 1000)).toBe("expired");
  });

  test("the signature binds the file and the expiry", () => {
    const parsed = new URL(signFileUrl(FILE, "https://easel.example").url);
    const expires = parsed.searchParams.get("expires");
    const sig = parsed.searchParams.get("sig");
    expect(checkFileSignature("file_01m7xsg3td78p5jkg9dkay3nqx", expires, sig)).toBe("invalid");
    expect(checkFileSignature(FILE, String(Number(expires) + 1), sig)).toBe("invalid");
    expect(checkFileSignature(FILE, expires, null)).toBe("invalid");
    expect(checkFileSignature(FILE, "soon", sig)).toBe("invalid");
  });

  test("URLs polled within one quarter hour are identical, so browsers can cache them", () => {
    const now = Date.UTC(2026, 10, 21, 12, 1, 0);
    expect(signFileUrl(FILE, "http://x", { now }).url).toBe(signFileUrl(FILE, "http://x", { now: now + 5 * 60_000 }).url);
  });

  test("recognises our own signed URLs on any origin, even expired, and nothing else", () => {
    const past = signFileUrl(FILE, "http://localhost:3000", { now: Date.UTC(2020, 0, 1) }).url;
    expect(ownFileId(past)).toBe(FILE);
    expect(ownFileId(past.replace("sig=", "sig=x"))).toBeNull();
    expect(ownFileId(`https://elsewhere.example/v1/files/${FILE}?expires=1&sig=abc`)).toBeNull();
    expect(ownFileId("not a url")).toBeNull();
  });
});

// Generated requests for the route fuzz test (app/v1/fuzz-routes.test.ts): strings that break
// parsers, bodies of every kind, query strings, headers and credentials, as fast-check arbitraries.
import fc from "fast-check";
import { NextRequest } from "next/server";
import { PEER_HEADER } from "@/lib/http/client-address";

export const ORIGIN = "http://localhost:3000";
export const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme-composite", maxLength: 20 }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "e\u0302\u0301", "🎨", " ", "", "%", "%ff", "%00", "..", "../..", "-1", "0", "1e309", "NaN", "null"),
  fc.constantFrom("1:1", "16:9", "1024x1024", "9999x9999", "low", "high", "queued", "succeeded", "2026-01-01", "2026-13-45", "1700000000", "constructor", "__proto__"),
  fc.constantFrom("https://images.example.com/a.png", "http://10.0.0.1/x", "https://127.0.0.1/", "javascript:alert(1)", "file:///etc/passwd"),
  fc.constantFrom("recraft-v4", "flux-2-pro", "gpt-image-2", "flux-kontext-pro", "recraft-v4-vector", "nope"),
);
export const jsonValue = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }));
const fields = fc.constantFrom("model", "prompt", "size", "n", "quality", "image_url", "image_urls", "seed", "idempotency_key", "webhook_url", "style");
const generation = fc.oneof(
  fc
    .tuple(fc.record({ model: fc.constantFrom("recraft-v4", "flux-2-pro", "gpt-image-2", "minimax-image-01", "flux-kontext-pro"), prompt: fc.string({ minLength: 1, maxLength: 60 }) }), fc.dictionary(fields, jsonValue, { maxKeys: 2 }))
    .map(([valid, strange]) => ({ ...valid, ...strange })),
  fc.dictionary(fields, jsonValue, { maxKeys: 9 }),
);
const queryKeys = fc.constantFrom("limit", "cursor", "status", "model", "tier", "capability", "type", "from", "to", "days", "job_id", "sig", "expires", "download", "x", "__proto__");
export const query = fc.dictionary(queryKeys, nasty, { maxKeys: 5 }).map((q) => {
  const search = new URLSearchParams(q).toString();
  return search ? `?${search}` : "";
});
const contentType = fc.constantFrom(
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "multipart/form-data",
  "multipart/form-data; boundary=xyz",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
  "image/png",
  "",
);
export const rawBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.constantFrom("{", "[]", "null", "0", '"x"', "{}", '{"prompt":', '{"__proto__":{"n":5}}', "--xyz\r\n\r\n--xyz--"),
);
const extraHeaders = fc.dictionary(
  fc.constantFrom("idempotency-key", "x-forwarded-for", PEER_HEADER, "accept", "x-request-id", "origin", "accept-encoding", "content-length-ish"),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
  { maxKeys: 3 },
);

/** The keys and session cookie the generated requests may carry. */
export type Credentials = { key: string; otherKey: string; cookie: string };

export const credential = fc.constantFrom<(c: Credentials) => Record<string, string>>(
  (c) => ({ authorization: `Bearer ${c.key}` }),
  (c) => ({ authorization: `Bearer ${c.otherKey}` }),
  (c) => ({ cookie: c.cookie, origin: ORIGIN }),
  (c) => ({ cookie: c.cookie }),
  (c) => ({ authorization: `Bearer ${c.key.slice(0, -1)}x` }),
  () => ({ authorization: "Bearer esk_0000000000000000000000000000000000000000" }),
  () => ({ authorization: "Basic dXNlcjpwYXNz" }),
  () => ({ authorization: "Bearer" }),
  () => ({ cookie: "authjs.session-token=garbage" }),
  () => ({}),
);

export function build(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit }) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    try {
      headers.set(name, value);
    } catch {
      // a value fetch itself refuses never reaches a server either
    }
  }
  return new NextRequest(`${ORIGIN}${path}`, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : init.body });
}

export const request = fc.record({
  credential,
  headers: extraHeaders,
  contentType,
  body: fc.oneof(generation.map((b) => JSON.stringify(b)), rawBody),
  query,
});
export type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** The generated request, with one of `creds`' credentials (or none, or a broken one). */
export function toRequest(method: string, path: string, input: Generated, creds: Credentials) {
  const headers: Record<string, string> = { ...input.headers, ...input.credential(creds) };
  if (input.contentType !== undefined) headers["content-type"] = input.contentType;
  return build(method, `${path}${input.query}`, { headers, body: input.body });
}

export const runs = (n: number) => ({ numRuns: n, endOnFailure: true });

/** A path segment as a client would send it (a lone surrogate goes out as U+FFFD). */
export const uriPart = (text: string) => encodeURIComponent(text.toWellFormed());

// No input may produce a 500 (docs/product-rules.md, "Errors"): random bodies, raw bytes, ids and query strings.
// Route params are passed as Next.js would decode them; the URL path itself is not read.
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { POST as generate } from "@/app/v1/images/generations/route";
import { POST as cancel } from "@/app/v1/jobs/[id]/cancel/route";
import { GET as getJob } from "@/app/v1/jobs/[id]/route";
import { GET as listJobs } from "@/app/v1/jobs/route";
import { POST as estimate } from "@/app/v1/pricing/estimate/route";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";

const ACCEPTED = new Set([200, 202]);
const REFUSED = new Set([400, 402, 404, 409, 413, 422]);

function expectWellFormed(response: { status: number; body: unknown }) {
  if (ACCEPTED.has(response.status)) return;
  expect(REFUSED, `status ${response.status}: ${JSON.stringify(response.body)}`).toContain(response.status);
  expect(response.body).toMatchObject({ error: { type: expect.any(String), code: expect.any(String), message: expect.any(String) } });
}

// Strings that have broken APIs before: NUL, lone surrogates, combining marks, huge, URL-ish.
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme-composite" }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "e\u0302\u0301", "🎨", " ", "", "1:1", "16:9", "1024x1024", "9999x9999", "low", "high"),
  fc.constantFrom("https://images.example.com/a.png", "http://10.0.0.1/x", "https://x/\u0000", "javascript:alert(1)", "file:///etc/passwd"),
  fc.constantFrom("recraft-v4", "flux-2-pro", "gpt-image-2", "flux-kontext-pro", "minimax-image-01", "nope"),
);
const value = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }));
const keys = fc.constantFrom("model", "prompt", "size", "n", "quality", "image_url", "image_urls", "seed", "idempotency_key", "style");
// Mostly valid bodies with one or two fields made strange, so that most reach the database;
// and wholly random ones.
const base = fc.record({ model: fc.constantFrom("recraft-v4", "flux-2-pro", "gpt-image-2", "minimax-image-01"), prompt: fc.oneof(fc.string({ minLength: 1 }), fc.string({ unit: "binary", minLength: 1 })) });
const body = fc.oneof(
  fc.tuple(base, fc.dictionary(keys, value, { minKeys: 1, maxKeys: 2 })).map(([valid, strange]) => ({ ...valid, ...strange })),
  fc.dictionary(keys, value, { maxKeys: 9 }),
);

describe("no input produces a 500", () => {
  let secret = "";
  beforeAll(async () => {
    secret = (await createTestAccount({ creditUsd: "1000" })).secret;
  });

  test("random generation bodies", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        expectWellFormed(await call(generate, apiRequest("/v1/images/generations", { key: secret, body: input })));
        expectWellFormed(await call(estimate, apiRequest("/v1/pricing/estimate", { body: input })));
      }),
      { numRuns: 300 },
    );
    await assertLedgerInvariants();
  });

  test("random raw bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
        expectWellFormed(await call(generate, apiRequest("/v1/images/generations", { key: secret, rawBody: raw })));
      }),
      { numRuns: 100 },
    );
  });

  test("random job ids and list queries", async () => {
    await fc.assert(
      fc.asyncProperty(nasty, fc.dictionary(fc.constantFrom("limit", "status", "model", "cursor", "x"), nasty), async (id, query) => {
        expectWellFormed(await call(getJob, apiRequest("/v1/jobs/fuzz", { key: secret }), { id }));
        expectWellFormed(
          await call(cancel, apiRequest("/v1/jobs/fuzz/cancel", { key: secret, method: "POST" }), { id }),
        );
        const search = new URLSearchParams(query).toString();
        expectWellFormed(await call(listJobs, apiRequest(`/v1/jobs?${search}`, { key: secret })));
      }),
      { numRuns: 150 },
    );
  });
});

// Every route handler under app/v1, the Auth.js route and the Stripe webhook, against generated
// requests (fast-check): methods, paths, query strings, headers, credentials, JSON and raw and
// multipart bodies. Whatever arrives: never a 5xx, every refusal in the error shape, and the
// ledger's invariants intact afterwards. Over 10,000 requests a run (counted, and checked).
import fc from "fast-check";
import sharp from "sharp";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { POST as stripeWebhook } from "@/app/api/stripe/webhook/route";
import * as catchAll from "@/app/v1/[...path]/route";
import { GET as balance } from "@/app/v1/balance/route";
import { GET as getFile } from "@/app/v1/files/[id]/route";
import { POST as edit } from "@/app/v1/images/edits/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { POST as cancel } from "@/app/v1/jobs/[id]/cancel/route";
import { GET as getJob } from "@/app/v1/jobs/[id]/route";
import { GET as listJobs } from "@/app/v1/jobs/route";
import { GET as ledgerExport } from "@/app/v1/ledger/export/route";
import { GET as ledger } from "@/app/v1/ledger/route";
import { GET as tiers } from "@/app/v1/limits/tiers/route";
import { GET as models } from "@/app/v1/models/route";
import { POST as estimate } from "@/app/v1/pricing/estimate/route";
import { GET as pricing } from "@/app/v1/pricing/route";
import { POST as upload } from "@/app/v1/uploads/route";
import { GET as usage } from "@/app/v1/usage/route";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { createTestAccount } from "@/lib/testing/fixtures";
import { build, credential, jsonValue, nasty, query, rawBody, request, runs, toRequest as toGeneratedRequest, uriPart, type Credentials, type Generated } from "@/lib/testing/fuzz-requests";
import { sessionCookie } from "@/lib/testing/session";
import { checkoutSession, stripeEvent, TEST_WEBHOOK_SECRET } from "@/lib/testing/stripe-webhooks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- route handlers of every shape
type Handler = (request: any, segment: { params: Promise<any> }) => Promise<Response>;

let creds: Credentials;
let jobIds: string[] = [];
let fileUrls: string[] = [];

const toRequest = (method: string, path: string, input: Generated) => toGeneratedRequest(method, path, input, creds);

let sent = 0;
const MIN_REQUESTS = 10_000;

/** Sends one request and checks the answer: no 5xx, and a refusal in the error shape. */
async function send(handler: Handler, request: Request, params: Record<string, unknown> = {}) {
  sent++;
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  const what = `${request.method} ${request.url} → ${response.status}: ${text.slice(0, 300)}`;
  expect(response.status, what).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get("content-type") ?? "", what).toContain("application/json");
    const body = JSON.parse(text) as { error?: Record<string, unknown> };
    expect(body.error, what).toMatchObject({ type: expect.any(String), code: expect.any(String), message: expect.any(String) });
  }
  return response.status;
}


beforeAll(async () => {
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET);
  vi.stubEnv("STRIPE_SECRET_KEY", "");
  const mine = await createTestAccount({ creditUsd: "1000" });
  const other = await createTestAccount({ creditUsd: "1" });
  creds = { key: mine.secret, otherKey: other.secret, cookie: await sessionCookie({ id: mine.user.id, email: mine.user.email }) };
  // A few real jobs and files, so that ids and signed URLs that exist are in the mix.
  for (let i = 0; i < 3; i++) {
    const response = await generate(build("POST", "/v1/images/generations", { headers: { authorization: `Bearer ${mine.secret}`, "content-type": "application/json" }, body: JSON.stringify({ prompt: `seed job ${i}` }) }), { params: Promise.resolve({}) });
    jobIds.push(((await response.json()) as { id: string }).id);
  }
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#808080" } }).png().toBuffer();
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(png)]), "a.png");
  const uploaded = await upload(build("POST", "/v1/uploads", { headers: { authorization: `Bearer ${mine.secret}` }, body: form }), { params: Promise.resolve({}) });
  fileUrls.push(((await uploaded.json()) as { url: string }).url);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await assertLedgerInvariants();
  jobIds = [];
  fileUrls = [];
});

describe("no request to any route produces a 5xx", () => {
  test.each([
    ["GET /v1/models", models, 900],
    ["GET /v1/pricing", pricing, 1200],
    ["GET /v1/limits/tiers", tiers, 1500],
    ["GET /v1/balance", balance, 250],
    ["GET /v1/usage", usage, 250],
    ["GET /v1/ledger", ledger, 400],
    ["GET /v1/ledger/export", ledgerExport, 250],
    ["GET /v1/jobs", listJobs, 400],
  ] as Array<[string, Handler, number]>)("%s", async (name, handler, n) => {
    const path = name.split(" ")[1]!;
    await fc.assert(fc.asyncProperty(request, async (input) => void (await send(handler, toRequest("GET", path, input)))), runs(n));
  });

  test.each([
    ["POST /v1/pricing/estimate", estimate, 1800],
    ["POST /v1/images/generations", generate, 700],
    ["POST /v1/images/edits", edit, 500],
  ] as Array<[string, Handler, number]>)("%s", async (name, handler, n) => {
    const path = name.split(" ")[1]!;
    await fc.assert(fc.asyncProperty(request, async (input) => void (await send(handler, toRequest("POST", path, input)))), runs(n));
    await assertLedgerInvariants();
  });

  test("GET /v1/jobs/{id} and POST /v1/jobs/{id}/cancel", async () => {
    const id = fc.oneof(nasty, fc.constantFrom(...jobIds), fc.string({ maxLength: 30 }).map((s) => `job_${s}`));
    await fc.assert(
      fc.asyncProperty(request, id, async (input, jobId) => {
        await send(getJob, toRequest("GET", `/v1/jobs/${uriPart(jobId)}`, input), { id: jobId });
        await send(cancel, toRequest("POST", `/v1/jobs/${uriPart(jobId)}/cancel`, input), { id: jobId });
      }),
      runs(300),
    );
    await assertLedgerInvariants();
  });

  test("GET /v1/files/{id}, signed or not", async () => {
    const target = fc.oneof(
      fc.tuple(nasty, query).map(([id, q]) => ({ id, path: `/v1/files/${uriPart(id)}${q}` })),
      fc.tuple(fc.constantFrom(...fileUrls), fc.dictionary(fc.constantFrom("sig", "expires", "download", "thumbnail", "w"), nasty, { maxKeys: 2 })).map(([url, changes]) => {
        const u = new URL(url);
        for (const [k, v] of Object.entries(changes)) u.searchParams.set(k, v);
        return { id: u.pathname.split("/").pop()!, path: `${u.pathname}${u.search}` };
      }),
    );
    await fc.assert(
      fc.asyncProperty(target, credential, async ({ id, path }, cred) => void (await send(getFile, build("GET", path, { headers: cred(creds) }), { id }))),
      runs(500),
    );
  });

  test("POST /v1/uploads, multipart of every kind", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#ff00ff" } }).png().toBuffer();
    const part = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.alloc(0)), // an empty file once made sharp throw outside its promise
      fc.constant(png),
      fc.tuple(fc.integer({ min: 1, max: png.length - 1 }), fc.uint8Array({ maxLength: 64 })).map(([cut, tail]) => Buffer.concat([png.subarray(0, cut), Buffer.from(tail)])),
    );
    const form = fc.record({
      field: fc.constantFrom("file", "file", "image", "", "file[]"),
      bytes: part,
      name: fc.oneof(fc.constant("a.png"), nasty),
      type: fc.constantFrom("image/png", "text/html", "", "application/octet-stream", "image/svg+xml"),
      asString: fc.boolean(),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(form, credential, fc.boolean(), async (input, cred, raw) => {
        let body: BodyInit;
        const headers: Record<string, string> = cred(creds);
        if (raw) {
          // A hand-made envelope: boundaries, dispositions and lengths that may not add up.
          const boundary = "fuzzboundary";
          headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
          body = Buffer.concat([
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${input.field}"; filename="${input.name.replace(/"/g, "")}"\r\nContent-Type: ${input.type}\r\n\r\n`),
            input.bytes,
            Buffer.from(input.asString ? `\r\n--${boundary}` : `\r\n--${boundary}--\r\n`),
          ]);
        } else {
          const data = new FormData();
          if (input.field && input.asString) data.set(input.field, input.bytes.toString("latin1"));
          else if (input.field) data.set(input.field, new Blob([new Uint8Array(input.bytes)], { type: input.type }), input.name);
          for (const [k, v] of Object.entries(input.extra)) data.append(k, v);
          body = data;
        }
        await send(upload, build("POST", "/v1/uploads", { headers, body }));
      }),
      runs(500),
    );
  });

  test("any other /v1 path and method", async () => {
    const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE");
    const segments = fc.array(nasty, { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(method, segments, request, async (m, path, input) => {
        const handler = catchAll[m as keyof typeof catchAll] as Handler;
        await send(handler, toRequest(m, `/v1/${path.map(uriPart).join("/")}`, input), { path });
      }),
      runs(1500),
    );
  });

  test("the Auth.js route", async () => {
    const action = fc.oneof(
      fc.constantFrom("session", "csrf", "providers", "signin", "signout", "error", "callback/credentials", "signin/credentials", "callback/github", "whatever", "signin/nope", "a/b/c", "session/x"),
      fc.array(nasty, { minLength: 1, maxLength: 3 }).map((parts) => parts.map(uriPart).join("/")),
    );
    const form = fc.dictionary(fc.constantFrom("email", "password", "csrfToken", "callbackUrl", "redirect", "json"), nasty, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST"), action, form, request, fc.boolean(), async (method, path, fields, input, urlencoded) => {
        const req = toRequest(method, `/api/auth/${path}`, { ...input, body: urlencoded ? new URLSearchParams(fields).toString() : input.body, contentType: urlencoded ? "application/x-www-form-urlencoded" : input.contentType });
        await send(method === "GET" ? authGet : authPost, req);
      }),
      runs(500),
    );
  });

  test("the Stripe webhook: forged, unsigned, and signed events of any shape", async () => {
    const account = await createTestAccount({ creditUsd: "1" });
    const object = fc.oneof(
      fc.constant(checkoutSession({ accountId: account.account.id, amountCents: 500 })),
      fc.tuple(fc.dictionary(fc.constantFrom("id", "amount_total", "payment_status", "currency", "client_reference_id", "metadata", "mode", "payment_intent", "amount", "status"), jsonValue, { maxKeys: 4 }))
        .map(([strange]) => ({ ...checkoutSession({ accountId: account.account.id, amountCents: 700 }), ...strange })),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const type = fc.constantFrom("checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "payment_intent.succeeded", "payment_intent.payment_failed", "customer.created", "");
    const envelope = fc.oneof(
      fc.tuple(type, object).map(([t, o]) => JSON.stringify(stripeEvent(t, o as Record<string, unknown>))),
      fc.tuple(type, fc.jsonValue({ maxDepth: 2 })).map(([t, data]) => JSON.stringify({ id: "evt_fuzz", object: "event", type: t, data })),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      rawBody,
    );
    const signing = fc.constantFrom("valid", "valid", "valid", "wrong-secret", "garbage", "none");
    await fc.assert(
      fc.asyncProperty(envelope, signing, async (payload, how) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (how === "valid") headers["stripe-signature"] = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
        if (how === "wrong-secret") headers["stripe-signature"] = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_other" });
        if (how === "garbage") headers["stripe-signature"] = "t=1,v1=00";
        await send(stripeWebhook, build("POST", "/api/stripe/webhook", { headers, body: payload }));
      }),
      runs(500),
    );
    await assertLedgerInvariants();
  });

  test(`at least ${MIN_REQUESTS} requests were sent`, () => {
    expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
  });
});

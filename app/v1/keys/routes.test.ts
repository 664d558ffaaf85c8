// API keys through the real route handlers: scopes, expiry and spend limits, set at creation
// and changed afterwards by the signed-in owner; each refusal with its code.
import "@/lib/testing/isolated-database"; // its jobs stay queued: no other test file's worker or sweeper takes them
import { afterEach, describe, expect, test, vi } from "vitest";
import { GET as getBalance } from "@/app/v1/balance/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { POST as cancel } from "@/app/v1/jobs/[id]/cancel/route";
import { GET as listJobs } from "@/app/v1/jobs/route";
import { DELETE as revokeKey, GET as getKey, PATCH as updateKey } from "@/app/v1/keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/v1/keys/route";
import { POST as upload } from "@/app/v1/uploads/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { sessionCookie } from "@/lib/testing/session";

const ORIGIN = "http://localhost:3000";

afterEach(() => {
  vi.useRealTimers();
});
const PROMPT = { model: "minimax-image-01", prompt: "a lighthouse" };

async function owner(creditUsd = "1") {
  const account = await createTestAccount({ creditUsd });
  const cookie = await sessionCookie({ id: account.user.id, email: account.user.email });
  const asOwner = (path: string, options: { method?: string; body?: unknown } = {}) =>
    apiRequest(path, { ...options, headers: { cookie, origin: ORIGIN } });
  return { ...account, cookie, asOwner };
}

describe("scopes", () => {
  test("a read-only key reads but cannot create a job (403 key_scope) nor upload", async () => {
    const { account } = await owner();
    const { secret } = await createApiKey({ accountId: account.id, name: "reader", scopes: ["read"] });
    expect((await call(getBalance, apiRequest("/v1/balance", { key: secret }))).status).toBe(200);
    expect((await call(listJobs, apiRequest("/v1/jobs", { key: secret }))).status).toBe(200);

    const refused = await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ type: "permission_error", code: "key_scope", scope: "generate" });
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "x.png");
    const uploaded = await call(upload, new Request(`${ORIGIN}/v1/uploads`, { method: "POST", body: form, headers: { authorization: `Bearer ${secret}` } }));
    expect(uploaded.status).toBe(403);
    expect(uploaded.body.error.code).toBe("key_scope");
    const jobs = await call(listJobs, apiRequest("/v1/jobs", { key: secret }));
    expect(jobs.body.data).toHaveLength(0);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a generate-only key creates and cancels jobs but cannot read (403 key_scope)", async () => {
    const { account } = await owner();
    const { secret } = await createApiKey({ accountId: account.id, name: "writer", scopes: ["generate"] });
    const job = await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }));
    expect(job.status).toBe(202);
    const read = await call(listJobs, apiRequest("/v1/jobs", { key: secret }));
    expect(read.status).toBe(403);
    expect(read.body.error).toMatchObject({ code: "key_scope", scope: "read" });
    const canceled = await call(cancel, apiRequest(`/v1/jobs/${job.body.id}/cancel`, { key: secret, method: "POST" }), { id: job.body.id });
    expect(canceled.status).toBe(200);
  });
});

describe("expiry", () => {
  test("an expired key → 401 invalid_api_key saying it expired", async () => {
    const { account } = await owner();
    const { secret } = await createApiKey({ accountId: account.id, name: "soon", expiresAt: new Date(Date.now() + 60_000) });
    expect((await call(getBalance, apiRequest("/v1/balance", { key: secret }))).status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    const refused = await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }));
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("invalid_api_key");
    expect(refused.body.error.message).toContain("expired");
  });
});

describe("managing keys", () => {
  test("the owner creates a key with a limit, scopes and expiry, then edits name, limit and scopes", async () => {
    const { asOwner, account } = await owner();
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const created = await call(
      createKey,
      asOwner("/v1/keys", { body: { name: "ci", scopes: ["generate", "read"], spend_limit: { amount: 0.01, period: "month" }, expires_at: expires } }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "ci", scopes: ["generate", "read"], expires_at: expires });
    expect(created.body.spend_limit).toMatchObject({ amount: 0.01, period: "month", spent: 0, remaining: 0.01 });
    const secret: string = created.body.secret;
    const id: string = created.body.id;

    expect((await call(generate, apiRequest("/v1/images/generations", { key: secret, body: { ...PROMPT, n: 2 } }))).status).toBe(202);
    const full = await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }));
    expect(full.status).toBe(402);
    expect(full.body.error).toMatchObject({ code: "key_budget_exceeded", limit: 0.01, spent: 0.01, period: "month" });

    // Raising the limit counts what the key already spent this period.
    const raised = await call(updateKey, asOwner(`/v1/keys/${id}`, { method: "PATCH", body: { name: "ci-2", spend_limit: { amount: 0.015, period: "day" } } }), { id });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ name: "ci-2", spend_limit: { amount: 0.015, period: "day", spent: 0.01, remaining: 0.005 } });
    expect((await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }))).status).toBe(202);
    expect((await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }))).status).toBe(402);

    const readOnly = await call(updateKey, asOwner(`/v1/keys/${id}`, { method: "PATCH", body: { scopes: ["read"], spend_limit: null } }), { id });
    expect(readOnly.body).toMatchObject({ scopes: ["read"], spend_limit: null });
    expect((await call(generate, apiRequest("/v1/images/generations", { key: secret, body: PROMPT }))).body.error.code).toBe("key_scope");

    const listed = await call(listKeys, apiRequest("/v1/keys", { key: secret }));
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(id);
    await assertLedgerInvariants({ accountId: account.id });
  });

  test("a key cannot make or change keys (403 key_scope); another account's key is not found", async () => {
    const me = await owner();
    const other = await owner();
    const made = await call(createKey, apiRequest("/v1/keys", { key: me.secret, body: { name: "escape" } }));
    expect(made.status).toBe(403);
    expect(made.body.error.code).toBe("key_scope");
    const patched = await call(updateKey, apiRequest(`/v1/keys/${me.key.id}`, { key: me.secret, method: "PATCH", body: { spend_limit: null } }), { id: me.key.id });
    expect(patched.status).toBe(403);

    expect((await call(getKey, apiRequest(`/v1/keys/${other.key.id}`, { key: me.secret }), { id: other.key.id })).status).toBe(404);
    const foreign = await call(updateKey, me.asOwner(`/v1/keys/${other.key.id}`, { method: "PATCH", body: { name: "mine" } }), { id: other.key.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("api_key_not_found");
    expect((await call(revokeKey, me.asOwner(`/v1/keys/${other.key.id}`, { method: "DELETE" }), { id: other.key.id })).status).toBe(404);
  });

  test("bad bodies are clear 400s", async () => {
    const { asOwner } = await owner();
    const cases: Array<[unknown, string, string]> = [
      [{ name: "" }, "invalid_parameter", "name"],
      [{ name: "x", scopes: [] }, "invalid_parameter", "scopes"],
      [{ name: "x", scopes: ["admin"] }, "invalid_parameter", "scopes"],
      [{ name: "x", spend_limit: { amount: -1, period: "day" } }, "invalid_parameter", "spend_limit"],
      [{ name: "x", spend_limit: { amount: 1, period: "week" } }, "invalid_parameter", "spend_limit"],
      [{ name: "x", spend_limit: { amount: 0.0000001, period: "day" } }, "invalid_parameter", "spend_limit"],
      [{ name: "x", expires_at: "2001-01-01T00:00:00Z" }, "invalid_parameter", "expires_at"],
      [{ name: "x", color: "red" }, "unknown_parameter", "color"],
    ];
    for (const [body, code, param] of cases) {
      const answer = await call(createKey, asOwner("/v1/keys", { body }));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatchObject({ code, param });
    }
  });
});

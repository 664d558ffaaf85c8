// The dashboard calls /v1 with its session cookie. A cookie travels with any request the
// browser makes, including ones a third-party page triggers, so a cookie request that changes
// anything must carry our own Origin.
import { afterEach, describe, expect, test } from "vitest";
import { GET as getBalance } from "@/app/v1/balance/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { GET as listJobs } from "@/app/v1/jobs/route";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { sessionCookie } from "@/lib/testing/session";

afterEach(() => assertLedgerInvariants());

const ORIGIN = "http://localhost:3000"; // apiRequest's URLs are on this origin

async function signedIn() {
  const account = await createTestAccount({ creditUsd: "1" });
  return { ...account, cookie: await sessionCookie({ id: account.user.id, email: account.user.email }) };
}

describe("session access to /v1", () => {
  test("a cookie request from our own pages may read and submit", async () => {
    const { cookie } = await signedIn();
    const balance = await call(getBalance, apiRequest("/v1/balance", { headers: { cookie } }));
    expect(balance.status).toBe(200);
    expect(balance.body.available).toBe(1);

    const submitted = await call(
      generate,
      apiRequest("/v1/images/generations", { body: { prompt: "from the composer" }, headers: { cookie, origin: ORIGIN } }),
    );
    expect(submitted.status).toBe(202);
  });

  test.each([
    ["another site's Origin", { origin: "https://evil.example" }],
    ["no Origin at all", {}],
    ["a look-alike origin", { origin: "http://localhost:3000.evil.example" }],
  ])("a cookie POST with %s → 403 cross_origin_request, and nothing is created", async (_name, extra) => {
    const { cookie, secret } = await signedIn();
    const response = await call(
      generate,
      apiRequest("/v1/images/generations", { body: { prompt: "forged" }, headers: { cookie, ...extra } }),
    );
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ type: "permission_error", code: "cross_origin_request" });
    const jobs = await call(listJobs, apiRequest("/v1/jobs", { key: secret }));
    expect(jobs.body.data).toEqual([]);
    const balance = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(balance.body).toMatchObject({ held: 0, available: 1 });
  });

  test("an API key needs no Origin: servers call the API too", async () => {
    const { secret } = await signedIn();
    const response = await call(generate, apiRequest("/v1/images/generations", { key: secret, body: { prompt: "from a server" } }));
    expect(response.status).toBe(202);
  });

  test("a forged or foreign cookie is no session", async () => {
    const { cookie } = await signedIn();
    const tampered = `${cookie.slice(0, -4)}AAAA`;
    expect((await call(getBalance, apiRequest("/v1/balance", { headers: { cookie: tampered } }))).status).toBe(401);
    const stranger = await sessionCookie({ id: "usr_nobody", email: "nobody@example.test" });
    expect((await call(getBalance, apiRequest("/v1/balance", { headers: { cookie: stranger } }))).status).toBe(401);
  });
});

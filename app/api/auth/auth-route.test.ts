// The Auth.js route, called as the browser calls it: unknown endpoints, password guessing, and
// sessions that end when they are signed out.
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { describe, expect, test } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { GET as getBalance } from "@/app/v1/balance/route";
import { createUser } from "@/lib/accounts/users";
import { ACCOUNT_FAILURES, ADDRESS_FAILURES, recordSignInFailure } from "@/lib/auth/sign-in-throttle";
import { PEER_HEADER } from "@/lib/http/client-address";
import { apiRequest, call } from "@/lib/testing/fixtures";

const ORIGIN = "http://localhost:3000";
let addresses = 0;
/** A fresh client address, so that tests do not share the per-address allowance. */
const newAddress = () => `198.51.100.${++addresses}`;

const request = (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
  new NextRequest(`${ORIGIN}${path}`, { method, headers: init.headers, body: init.body });

/** The cookies a response sets, as a Cookie header value (name=value; …). */
const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="));

/** A browser of its own: its cookie jar and its address. */
function browser(address = newAddress()) {
  // (address is exposed so that tests can spend its allowance without an scrypt per attempt)
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name!);
      else jar.set(name!, value.join("="));
    }
    return response;
  };
  return {
    address,
    jar,
    cookie,
    async get(path: string) {
      return keep(await GET(request("GET", path, { headers: { cookie: cookie(), [PEER_HEADER]: address } })));
    },
    async post(path: string, form: Record<string, string>) {
      const csrf = (await (await this.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const body = new URLSearchParams({ ...form, csrfToken: csrf.csrfToken }).toString();
      const headers = { cookie: cookie(), [PEER_HEADER]: address, "content-type": "application/x-www-form-urlencoded", origin: ORIGIN };
      return keep(await POST(request("POST", path, { headers, body })));
    },
    signIn(email: string, password: string) {
      return this.post("/api/auth/callback/credentials", { email, password });
    },
  };
}

const signedIn = (response: Response) => cookiesOf(response).some((pair) => pair.startsWith("authjs.session-token="));

async function newUser() {
  const email = `auth-${randomUUID()}@example.test`;
  const password = "correct horse battery";
  await createUser({ email, password, creditMicros: 1_000_000n });
  return { email, password };
}

describe("unknown Auth.js endpoints", () => {
  test.each([
    ["GET", "/api/auth/whatever"],
    ["POST", "/api/auth/whatever"],
    ["GET", "/api/auth/signin/nope"],
    ["POST", "/api/auth/signin/nope"],
    ["GET", "/api/auth/callback/credentials"],
    ["GET", "/api/auth/webauthn-options"],
    ["GET", "/api/auth/a/b/c"],
    ["GET", "/api/auth/verify-request"],
  ])("%s %s → 404 in the API's error shape", async (method, path) => {
    const response = await (method === "GET" ? GET : POST)(request(method, path));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: "not_found_error", code: "route_not_found" } });
  });

  test("Auth.js's error page, asked for directly, is no 500", async () => {
    const response = await GET(request("GET", "/api/auth/error?error=Configuration"));
    expect(response.status).toBeLessThan(500);
  });

  test("the endpoints in use still work", async () => {
    expect((await GET(request("GET", "/api/auth/session"))).status).toBe(200);
    expect((await GET(request("GET", "/api/auth/providers"))).status).toBe(200);
    expect((await GET(request("GET", "/api/auth/csrf"))).status).toBe(200);
  });
});

describe("password guessing", () => {
  test("after 10 wrong passwords the right one is refused too, with Retry-After", async () => {
    const { email, password } = await newUser();
    const attacker = browser();
    for (let i = 0; i < ACCOUNT_FAILURES.points; i++) {
      expect(signedIn(await attacker.signIn(email, `wrong ${i}`))).toBe(false);
    }
    const refused = await attacker.signIn(email, password);
    expect(signedIn(refused)).toBe(false);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      error: { type: "rate_limit_error", code: "too_many_attempts", message: expect.stringMatching(/Try again in \d+ minutes?/) },
    });
    // From another address too: the allowance belongs to the account.
    expect(signedIn(await browser().signIn(email, password))).toBe(false);
  });

  test("an unknown email is throttled the same way: the answer does not tell them apart", async () => {
    const unknown = `nobody-${randomUUID()}@example.test`;
    const { email } = await newUser();
    const answers = [];
    for (const target of [unknown, email]) {
      const attacker = browser();
      // The earlier failures through the throttle itself; the last one through the route.
      for (let i = 1; i < ACCOUNT_FAILURES.points; i++) await recordSignInFailure({ email: target, address: attacker.address });
      expect(signedIn(await attacker.signIn(target, "wrong"))).toBe(false);
      const refused = await attacker.signIn(target, "anything at all");
      answers.push({ status: refused.status, body: await refused.json() });
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  test("one address trying many accounts is throttled", async () => {
    const attacker = browser();
    for (let i = 1; i < ADDRESS_FAILURES.points; i++) {
      await recordSignInFailure({ email: `spray-${i}-${randomUUID()}@example.test`, address: attacker.address });
    }
    const { email, password } = await newUser();
    expect(signedIn(await attacker.signIn(`spray-${randomUUID()}@example.test`, "Password1"))).toBe(false);
    const refused = await attacker.signIn(email, password);
    expect(refused.status).toBe(429);
    // Someone else, elsewhere, signs in as usual.
    expect(signedIn(await browser().signIn(email, password))).toBe(true);
  });

  test("a right password clears the account's earlier failures", async () => {
    const { email, password } = await newUser();
    const user = browser();
    for (let i = 1; i < ACCOUNT_FAILURES.points - 1; i++) await recordSignInFailure({ email, address: user.address });
    expect(signedIn(await user.signIn(email, "typo"))).toBe(false);
    expect(signedIn(await user.signIn(email, password))).toBe(true);
    // Had the count not been cleared, these would now be the 10th and 11th failures.
    expect(signedIn(await user.signIn(email, "typo"))).toBe(false);
    expect(signedIn(await user.signIn(email, password))).toBe(true);
  });
});

describe("sessions end when they are signed out", () => {
  test("the old cookie reads nothing after sign-out", async () => {
    const { email, password } = await newUser();
    const user = browser();
    expect(signedIn(await user.signIn(email, password))).toBe(true);
    const stolen = user.cookie();
    expect((await call(getBalance, apiRequest("/v1/balance", { headers: { cookie: stolen } }))).status).toBe(200);

    await user.post("/api/auth/signout", {});
    expect(user.jar.has("authjs.session-token")).toBe(false);
    expect((await call(getBalance, apiRequest("/v1/balance", { headers: { cookie: stolen } }))).status).toBe(401);
    const session = await GET(request("GET", "/api/auth/session", { headers: { cookie: stolen } }));
    expect(await session.json()).toBeNull();
  });

  test("signing out one browser leaves the user's other sessions alone", async () => {
    const { email, password } = await newUser();
    const [laptop, phone] = [browser(), browser()];
    await laptop.signIn(email, password);
    await phone.signIn(email, password);
    await laptop.post("/api/auth/signout", {});
    expect((await call(getBalance, apiRequest("/v1/balance", { headers: { cookie: phone.cookie() } }))).status).toBe(200);
  });
});

// What an attacker can do to the real server (`next start`), on the wire and in the browser:
// forged client addresses, absolute URLs in the request line, unknown Auth.js endpoints, and a
// session cookie copied before sign-out.
import { expect, request as apiContext, test, type Browser, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { E2E_PORT } from "./local-database";
import { SignInPage, SignUpPage } from "./pages/auth-pages";

const BASE = `http://localhost:${E2E_PORT}`;

/** One raw HTTP/1.1 exchange: the bytes as written, the answer's head. */
function rawRequest(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(E2E_PORT, "127.0.0.1", () => socket.write(head));
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer")));
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n\r\n")) socket.end();
    });
    socket.on("end", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

async function newUser(page: Page) {
  const user = { email: `security-${randomUUID()}@example.test`, password: "a long enough password" };
  await new SignUpPage(page).goto();
  await new SignUpPage(page).signUp(user);
  await page.waitForURL("**/compose");
  return user;
}

/** The Cookie header of a page's context, for replaying it from elsewhere. */
async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

async function balanceWith(cookie: string): Promise<number> {
  const api = await apiContext.newContext({ baseURL: BASE, extraHTTPHeaders: { cookie } });
  const status = (await api.get("/v1/balance")).status();
  await api.dispose();
  return status;
}

test("a forged X-Forwarded-For does not buy a fresh allowance", async ({ request }) => {
  const remaining = async (forwarded: string) =>
    Number((await request.get("/v1/models", { headers: { "x-forwarded-for": forwarded, "x-easel-peer-address": forwarded } })).headers()["x-ratelimit-remaining"]);
  const first = await remaining("203.0.113.1");
  const second = await remaining("203.0.113.2");
  const third = await remaining("198.51.100.3, 203.0.113.3");
  expect(second).toBe(first - 1);
  expect(third).toBe(second - 1);
});

test("an absolute URL in the request line is refused, not redirected to its host", async () => {
  for (const target of ["http://evil.example/", "http://evil.example/compose", "https://evil.example//sign-in"]) {
    const answer = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: localhost:${E2E_PORT}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toMatch(/^location:/im);
  }
  // A path with repeated slashes is still tidied up, on this host.
  const tidy = await rawRequest(`GET //evil.example/ HTTP/1.1\r\nHost: localhost:${E2E_PORT}\r\nConnection: close\r\n\r\n`);
  expect(tidy).toMatch(/^location: \/evil\.example\/\r$/im);
});

test("an unknown Auth.js endpoint is a 404 in the API's error shape", async ({ request }) => {
  for (const path of ["/api/auth/whatever", "/api/auth/signin/nope", "/api/auth/callback/credentials"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status()).toBe(404);
    expect((await response.json()).error.code).toBe("route_not_found");
  }
  expect((await request.get("/api/auth/error?error=Configuration", { maxRedirects: 0 })).status()).toBeLessThan(500);
});

test("a session cookie copied before sign-out reads nothing after it", async ({ page }) => {
  await newUser(page);
  const copied = await cookieHeader(page);
  expect(await balanceWith(copied)).toBe(200);

  await page.getByTestId("account-menu").click();
  await page.getByTestId("sign-out").click();
  await page.waitForURL((url) => !url.pathname.startsWith("/compose"));
  expect(await balanceWith(copied)).toBe(401);
});

async function signedInElsewhere(browser: Browser, user: { email: string; password: string }) {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await new SignInPage(page).goto();
  await new SignInPage(page).signIn(user);
  await page.waitForURL("**/compose");
  return page;
}

test("sign out everywhere ends the user's other sessions too", async ({ page, browser }) => {
  const user = await newUser(page);
  const other = await signedInElsewhere(browser, user);
  const otherCookie = await cookieHeader(other);
  expect(await balanceWith(otherCookie)).toBe(200);

  await page.getByTestId("account-menu").click();
  await page.getByTestId("sign-out-everywhere").click();
  await page.waitForURL("**/sign-in**");

  expect(await balanceWith(otherCookie)).toBe(401);
  await other.goto("/billing");
  await other.waitForURL("**/sign-in**");
  await other.context().close();
});

test("wrong passwords close sign-in for the account, the right one included", async ({ page, browser }) => {
  const user = await newUser(page);
  const attacker = await browser.newContext({ baseURL: BASE });
  const form = new SignInPage(await attacker.newPage());
  for (let i = 0; i < 10; i++) {
    await form.goto();
    await form.signIn({ email: user.email, password: `wrong guess ${i}` });
    await form.expectError(/do not match/);
  }
  await form.goto();
  await form.signIn(user);
  await form.expectError(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./);
  await attacker.close();
});

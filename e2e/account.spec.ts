import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { SignUpPage } from "./pages/auth-pages";
import { DashboardHeader, KeysPage } from "./pages/dashboard";

test("a new user signs up, sees the signup credit, makes a key that works, and revokes it", async ({ page, request }) => {
  const user = { email: `new-${randomUUID()}@example.test`, password: "a long enough password" };
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(user);

  await page.waitForURL("**/compose");
  const header = new DashboardHeader(page);
  await header.expectBalance("$1.00");

  await header.open("API keys");
  const keys = new KeysPage(page);
  const secret = await keys.create("e2e key");
  expect(secret).toMatch(/^esk_[0-9A-Za-z]{38}$/);
  await expect(keys.row("e2e key")).toContainText(secret.slice(0, 12));
  await expect(page.getByTestId("curl-example").first()).toContainText("/v1/images/generations");

  const withKey = { headers: { authorization: `Bearer ${secret}` } };
  const before = await request.get("/v1/balance", withKey);
  expect(before.status()).toBe(200);
  expect(await before.json()).toMatchObject({ balance: 1, held: 0, available: 1 });

  await keys.revoke("e2e key");
  const after = await request.get("/v1/balance", withKey);
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("invalid_api_key");
});

test("signing up twice with one email says the account exists", async ({ page }) => {
  const user = { email: `twice-${randomUUID()}@example.test`, password: "a long enough password" };
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(user);
  await page.waitForURL("**/compose");
  await page.context().clearCookies();

  await signUp.goto();
  await signUp.signUp(user);
  await expect(page.getByTestId("sign-up-form").getByRole("alert")).toContainText("already exists");
});

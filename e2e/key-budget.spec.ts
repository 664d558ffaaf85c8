import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { SignUpPage } from "./pages/auth-pages";
import { BillingPage } from "./pages/billing";
import { KeysPage } from "./pages/dashboard";

test("a key with a $1 monthly limit: spend through it, the bar moves, then the API refuses with 402 key_budget_exceeded", async ({ page, request }) => {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp({ email: `budget-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/compose");
  // More credit than the key may spend: the key's limit, not the balance, is what refuses.
  const billing = new BillingPage(page);
  await billing.goto();
  await billing.addTestCredit("10");
  await expect(page.getByTestId("header-balance-amount")).toHaveText("$11.00");

  const keys = new KeysPage(page);
  await keys.goto();
  const secret = await keys.createWithLimit("budget", "1", "month");
  await expect(keys.spendBar("budget")).toHaveAttribute("aria-valuenow", "0");
  await expect(keys.row("budget")).toContainText("$0.00 held or charged of $1.00 this month");

  const withKey = { headers: { authorization: `Bearer ${secret}` } };
  // recraft-v4-vector-pro: $0.405 an image; two of them are $0.81 of the $1.
  const spent = await request.post("/v1/images/generations", { ...withKey, data: { model: "recraft-v4-vector-pro", prompt: "a badge", n: 2 } });
  expect(spent.status()).toBe(202);

  await page.reload();
  await expect(keys.spendBar("budget")).toHaveAttribute("aria-valuenow", "81");
  await expect(keys.row("budget")).toContainText("$0.81 held or charged of $1.00 this month");

  const refused = await request.post("/v1/images/generations", { ...withKey, data: { model: "recraft-v4-vector-pro", prompt: "one more" } });
  expect(refused.status()).toBe(402);
  const { error } = await refused.json();
  expect(error).toMatchObject({ type: "billing_error", code: "key_budget_exceeded", limit: 1, spent: 0.81, required: 0.405, period: "month" });
  expect(error.message).toContain("resets at");
  expect(error.resets_at).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);

  // A cheaper request that fits the $0.19 left is still accepted.
  const fits = await request.post("/v1/images/generations", { ...withKey, data: { model: "recraft-v4", prompt: "small", n: 3 } });
  expect(fits.status()).toBe(202);
  await page.reload();
  await expect(keys.spendBar("budget")).toHaveAttribute("aria-valuenow", "97");
});

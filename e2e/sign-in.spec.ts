import { expect, test } from "@playwright/test";
import fs from "node:fs";
import { SEED_FILE } from "./global-setup";
import { SignInPage } from "./pages/auth-pages";

const seed = () => JSON.parse(fs.readFileSync(SEED_FILE, "utf8")) as { email: string; password: string };

test("a wrong password shows an error that does not say which field was wrong", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn({ email: seed().email, password: "not the password" });
  await signIn.expectError(/do not match an account/);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a signed-out visit to /gallery lands on sign-in and returns to the gallery after it", async ({ page }) => {
  await page.goto("/gallery");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await new SignInPage(page).signIn(seed());
  await page.waitForURL("**/gallery");
  await expect(page.getByRole("heading", { name: "Gallery" })).toBeVisible();
});

// Runs once, after the app is up: refuses a non-local database, then seeds the suite's
// returning user through the app itself (the embedded database belongs to the app process)
// and saves their signed-in browser state for tests that start signed in.
import { chromium, type FullConfig } from "@playwright/test";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertLocalDatabase } from "./local-database";
import { SignUpPage } from "./pages/auth-pages";

export const AUTH_DIR = path.join(__dirname, ".auth");
export const SEED_FILE = path.join(AUTH_DIR, "seed.json");
export const STATE_FILE = path.join(AUTH_DIR, "user.json");

export default async function globalSetup(config: FullConfig) {
  assertLocalDatabase();
  const use = config.projects[0]!.use;
  const seed = { email: `seed-${randomUUID()}@example.test`, password: "correct horse battery", name: "Seeded User" };

  const browser = await chromium.launch(use.launchOptions);
  const page = await browser.newPage({ baseURL: use.baseURL });
  await new SignUpPage(page).goto();
  await new SignUpPage(page).signUp(seed);
  await page.waitForURL("**/compose");
  fs.mkdirSync(AUTH_DIR, { recursive: true });
  await page.context().storageState({ path: STATE_FILE });
  fs.writeFileSync(SEED_FILE, JSON.stringify(seed));
  await browser.close();
}

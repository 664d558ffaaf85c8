import { defineConfig } from "@playwright/test";
import { E2E_PORT } from "./local-database";

// Debian's Chromium, launched by path: `npx playwright install` cannot download browsers here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: ".",
  outputDir: "../test-results",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./global-setup.ts",
  use: {
    // localhost, never 127.0.0.1: Auth.js's CSRF check compares hosts.
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "node --import tsx e2e/server.ts",
    cwd: "..",
    url: `http://localhost:${E2E_PORT}/v1/models`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
  },
});

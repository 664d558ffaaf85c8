// The app under test: a production build (`next build`, unless E2E_SKIP_BUILD=1) started with
// `next start` on a fresh database — a temporary PGlite directory, or on Postgres (DATABASE_URL)
// a database of its own — with nothing else configured, as a newcomer would run it.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createScratchDatabase } from "../lib/testing/scratch-database";
import { assertLocalDatabase, E2E_PORT } from "./local-database";

/** On Postgres a database of its own; on PGlite nothing to make (a temporary directory does). */
async function freshDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  return base ? createScratchDatabase(base, "easel_e2e") : { drop: async () => {} };
}

async function main() {
  assertLocalDatabase();
  if (process.env.E2E_SKIP_BUILD !== "1") execFileSync("node_modules/.bin/next", ["build"], { stdio: "inherit" });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "easel-e2e-"));
  const database = await freshDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(E2E_PORT),
    EASEL_DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_TRUST_HOST: "true",
    LOCAL_RENDERER_LATENCY_MS: process.env.LOCAL_RENDERER_LATENCY_MS ?? "300",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    // Every test signs up from 127.0.0.1; the throttle itself is tested in vitest.
    EASEL_SIGNUPS_PER_HOUR: "1000",
    // A production build, so test credit must be allowed explicitly (there is no Stripe here).
    EASEL_ALLOW_TEST_CREDIT: "1",
    // webhooks.spec.ts delivers to a receiver on 127.0.0.1, over plain http.
    EASEL_ALLOW_PRIVATE_WEBHOOKS: "1",
  };
  if (database.url) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;

  const app = spawn("node_modules/.bin/next", ["start", "-p", String(E2E_PORT)], { env, stdio: "inherit" });
  const cleanUp = async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database.drop().catch(() => {});
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => app.kill(signal));
  }
  app.on("exit", async (code) => {
    await cleanUp();
    process.exit(code ?? 0);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

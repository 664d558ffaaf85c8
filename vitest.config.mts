import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
// On Postgres, every test file and every worker process a test spawns shares one data
// directory (for stored files) and one secret (for signed URLs).
const sharedDataDir = path.join(os.tmpdir(), `easel-test-${process.pid}`);

// `npm test` runs everything on PGlite (one in-memory database per test file) unless
// DATABASE_URL is set, in which case every test file shares that Postgres database.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside React Server Components; tests are server code.
      { find: /^server-only$/, replacement: path.join(root, "lib/testing/server-only.ts") },
    ],
  },
  test: {
    include: ["{app,lib,db,scripts,bench}/**/*.test.ts"],
    globalSetup: ["lib/testing/global-setup.ts"],
    // next-auth imports "next/server" without an extension, which Node's ESM loader refuses;
    // inlined, it goes through Vite's resolver (tests of the Auth.js route need this).
    server: { deps: { inline: ["next-auth"] } },
    env: {
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      EASEL_DATA_DIR: process.env.DATABASE_URL ? sharedDataDir : "memory://",
      AUTH_SECRET: "test-secret-not-for-production",
      LOCAL_RENDERER_LATENCY_MS: "0",
      // Tests submit far faster than any tier allows; app/v1/rate-limits.test.ts turns them on.
      EASEL_RATE_LIMITS: "off",
      // A brisk queue, so that tests of leases and retries take milliseconds. The lease and the
      // provider timeout keep a wide margin: a CI machine under load can stall a heartbeat or a
      // render for a second or more, and a lapsed lease there is not the bug a test looks for.
      // Tests of timeouts and lost leases set their own.
      EASEL_HEARTBEAT_MS: "100",
      EASEL_LEASE_MS: "5000",
      EASEL_WORKER_POLL_MS: "250",
      EASEL_SWEEP_INTERVAL_MS: "200",
      EASEL_PROVIDER_TIMEOUT_MS: "10000",
      EASEL_PROVIDER_RETRY_BASE_MS: "10",
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

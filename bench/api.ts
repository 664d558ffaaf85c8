// npm run bench:api — how much the app's job submission costs over a bare INSERT.
//
// Starts the already-built app (`npm run build` first) on Postgres and drives
// POST /v1/images/generations with 64 connections for 10 s; then does the same to a bare Node
// HTTP server that performs one INSERT per request into the same database. Prints requests/s
// and p50/p99 latency for both, and their ratio.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import autocannon from "autocannon";
import postgres from "postgres";

// By default a database of its own, made afresh each run so that runs compare; with
// BENCH_DATABASE_URL, that database as it is (never dropped).
const FRESH = !process.env.BENCH_DATABASE_URL;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/easel_bench";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const APP_PORT = 3900;
const BARE_PORT = 3901;
const BODY = JSON.stringify({ model: "minimax-image-01", prompt: "a benchmark of one small image" });

async function ensureDatabase() {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  const admin = postgres({ ...parseForAdmin(url), database: "postgres", onnotice: () => {} });
  if (FRESH) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const db = postgres(DATABASE_URL, { onnotice: () => {} });
  await db`create table if not exists bench_bare_requests (id uuid primary key, prompt text not null, created_at timestamptz not null default now())`;
  await db.end();
}

function parseForAdmin(url: URL) {
  return { host: url.hostname, port: Number(url.port || 5432), username: decodeURIComponent(url.username || "postgres"), password: decodeURIComponent(url.password) || undefined };
}

/** A user with ample credit and a key, made through the product's own code. */
async function seedKey(): Promise<string> {
  process.env.DATABASE_URL = DATABASE_URL;
  const { createUser } = await import("@/lib/accounts/users");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { disconnect } = await import("@/db/client");
  const { account } = await createUser({ email: `bench-${Date.now()}@example.test`, creditMicros: 1_000_000_000_000n });
  const { secret } = await createApiKey({ accountId: account.id, name: "bench" });
  await disconnect();
  return secret;
}

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

async function waitFor(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(url);
      return; // any answer means it is listening
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

async function load(url: string, headers: Record<string, string>, duration: number) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, method: "POST", headers: { "content-type": "application/json", ...headers }, body: BODY });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

async function measure(name: string, url: string, headers: Record<string, string>) {
  await load(url, headers, 2); // warm-up: JIT, connection pools
  const result = await load(url, headers, DURATION_S);
  console.log(`${name.padEnd(28)} ${result.rps.toFixed(0).padStart(7)} req/s   p50 ${String(result.p50).padStart(3)} ms   p99 ${String(result.p99).padStart(3)} ms   (${result.ok} ok, ${result.other} other)`);
  if (result.other > 0) throw new Error(`${name}: ${result.other} requests failed`);
  return result;
}

async function main() {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("Build the app first: npm run build");
  await ensureDatabase();
  const key = await seedKey();

  // The app alone, as a stateless API instance: the queue is not worked here (EASEL_WORKER=off).
  const app = start("node_modules/.bin/next", ["start", "-p", String(APP_PORT)], {
    DATABASE_URL,
    NODE_ENV: "production",
    AUTH_SECRET: "bench",
    EASEL_WORKER: "off",
    // One account submitting thousands a second is what is measured, not what a tier allows.
    EASEL_RATE_LIMITS: "off",
  });
  const bare = start("node", ["--import", "tsx", "bench/bare-insert-server.ts"], { DATABASE_URL, PORT: String(BARE_PORT) });
  try {
    await waitFor(`http://localhost:${APP_PORT}/v1/models`);
    await waitFor(`http://localhost:${BARE_PORT}/`);
    console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${CONNECTIONS} connections, ${DURATION_S} s each`);
    const easel = await measure("easel POST /v1/images/...", `http://localhost:${APP_PORT}/v1/images/generations`, { authorization: `Bearer ${key}` });
    const baseline = await measure("bare node + one INSERT", `http://localhost:${BARE_PORT}/`, {});
    console.log(`ratio (easel / bare)          ${(easel.rps / baseline.rps).toFixed(2)}   targets: ratio ≥ 0.5, POST p99 ≤ 10 ms`);
  } finally {
    app.kill("SIGTERM");
    bare.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

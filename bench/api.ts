// npm run bench:api — what the API costs over the framework's own floor, in one run.
//
// Starts the already-built app (`npm run build` first) with `next start` on Postgres, seeds two
// accounts (bench/api-seed.ts), and measures against GET /bench/trivial — a route handler of the
// same build that does nothing (served only with EASEL_BENCH_ROUTES=1):
//  1. throughput at 64 connections (autocannon) of five API routes, each as a ratio of the
//     trivial route's: in rounds, each round measuring the trivial route and then every route for
//     a short while, a ratio per round, and the median of those, so that load from anything else
//     on the machine falls on both sides of each ratio;
//  2. latency at fixed offered loads (100 and 400 requests/s, open loop) of POST and GET job;
//  3. the gallery query (GET /v1/jobs?limit=50 with filters) in an account of 100,000 jobs.
// The API instance measured has rate limits off (EASEL_RATE_LIMITS=off: no tier allows these
// rates, and with no worker the cap of jobs in flight would refuse POST). Three more instances of
// the same build, idle but while measured, give what limits and the key cache cost: limits on,
// counted in Postgres with every allowance × 10,000 (EASEL_RATE_LIMIT_MULTIPLIER), leased and with
// a write per request (EASEL_RATE_LIMIT_LEASES=off); and every key looked up (EASEL_KEY_CACHE_MS=0).
// BENCH_CPU_PROF=dir writes a V8 CPU profile of the server there (open it in Chrome DevTools).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { seed } from "./api-seed";
import { openLoop, throughput, type Latency, type Target } from "./load";

// By default a database of its own, made afresh each run so that runs compare; with
// BENCH_DATABASE_URL, that database (dropped and made afresh only with BENCH_FRESH=1).
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/easel_bench";
const FRESH = !process.env.BENCH_DATABASE_URL || process.env.BENCH_FRESH === "1";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** BENCH_ONLY=a,b: throughput of the routes whose name has any of these (and the trivial one), nothing else. */
const ONLY = process.env.BENCH_ONLY?.split(",");
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3230);
const BASE = `http://127.0.0.1:${PORT}`;

async function ensureDatabase() {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  const admin = postgres({ host: url.hostname, port: Number(url.port || 5432), username: decodeURIComponent(url.username || "postgres"), password: decodeURIComponent(url.password) || undefined, database: "postgres", onnotice: () => {} });
  if (FRESH) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  const [row] = await admin`show server_version`;
  await admin.end();
  return String(row?.server_version);
}

/**
 * `limited`: rate limits on, as in production (counted in Postgres), each allowance × 10,000;
 * "unleased": with one write to the counter per request (EASEL_RATE_LIMIT_LEASES=off).
 */
function startApp(port: number, limited?: "leased" | "unleased", extra: Record<string, string> = {}): ChildProcess {
  const profileDir = process.env.BENCH_CPU_PROF;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL,
    NODE_ENV: "production",
    AUTH_SECRET: "bench",
    EASEL_BENCH_ROUTES: "1",
    // A stateless API instance: the queue is not worked here, so POST measures acceptance alone
    // and no worker competes for the two cores (bench:queue measures the worker).
    EASEL_WORKER: "off",
    // One account submitting thousands a second is what is measured, not what a tier allows (and,
    // with limits off, no cap of jobs in flight refuses POST while no worker runs them).
    ...extra,
    ...(limited ? { EASEL_RATE_LIMIT_MULTIPLIER: "10000", REDIS_URL: "", EASEL_RATE_LIMIT_LEASES: limited === "leased" ? "on" : "off" } : { EASEL_RATE_LIMITS: "off" }),
  };
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  // BENCH_APP_LOG=file: the measured instance's log lines (one per request) there, for a failure's cause.
  const log = process.env.BENCH_APP_LOG && port === PORT ? fs.openSync(process.env.BENCH_APP_LOG, "w") : "ignore";
  return spawn("node", [...profile, "node_modules/next/dist/bin/next", "start", "-p", String(port)], { env, stdio: ["ignore", log, "inherit"] });
}

async function waitFor(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

/**
 * The CPU time a server process has used, user and system, in seconds (Linux's /proc; 10 ms
 * resolution; NaN elsewhere): per request, what a route costs the instance whatever the VM's host
 * takes meanwhile.
 */
function cpuSeconds(child: ChildProcess): number {
  if (!fs.existsSync(`/proc/${child.pid}/stat`)) return NaN;
  const stat = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => value.toFixed(1).padStart(6);

async function main() {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("Build the app first: npm run build");
  const pgVersion = await ensureDatabase();
  console.log(`seeding ${DATABASE_URL} …`);
  const { submitKey, galleryKey, galleryAccountId, finishedJobId, readerKeys } = await seed(DATABASE_URL);
  const submit = { authorization: `Bearer ${submitKey}` };
  const gallery = { authorization: `Bearer ${galleryKey}` };
  const postJob: Target = {
    url: `${BASE}/v1/images/generations`,
    method: "POST",
    headers: { ...submit, "content-type": "application/json" },
    body: JSON.stringify({ model: "minimax-image-01", prompt: "a benchmark of one small image" }),
  };
  const getJob: Target = { url: `${BASE}/v1/jobs/${finishedJobId}`, headers: submit };
  const trivial: Target = { url: `${BASE}/bench/trivial` };
  const routes: { name: string; target: Target; floor: number }[] = [
    { name: "GET /bench/trivial", target: trivial, floor: 1 },
    { name: "GET /v1/limits/tiers", target: { url: `${BASE}/v1/limits/tiers` }, floor: 0.8 },
    { name: "GET /v1/balance", target: { url: `${BASE}/v1/balance`, headers: submit }, floor: 0.8 },
    { name: "GET /v1/jobs/{id} (4 images)", target: getJob, floor: 0.8 },
    { name: "GET /v1/jobs?limit=50", target: { url: `${BASE}/v1/jobs?limit=50`, headers: gallery }, floor: 0.8 },
    { name: "POST /v1/images/generations", target: postJob, floor: 0.6 },
  ];

  const app = startApp(PORT);
  // Two more instances with rate limits on, idle while another is measured.
  const leased = startApp(PORT + 1, "leased");
  const unleased = startApp(PORT + 2, "unleased");
  // And one that looks every key up (what the key cache saves).
  const uncached = startApp(PORT + 3, undefined, { EASEL_KEY_CACHE_MS: "0" });
  const children = [app, leased, unleased, uncached];
  try {
    for (const port of [PORT, PORT + 1, PORT + 2, PORT + 3]) await waitFor(`http://127.0.0.1:${port}/bench/trivial`);
    routes.push({ name: "GET /v1/balance, key not cached", target: { url: `http://127.0.0.1:${PORT + 3}/v1/balance`, headers: submit }, floor: 0 });
    // Limits as production meets them: 64 accounts, each a client of its own on one connection, at
    // ~1/64 of the rate (within what a tier allows); and one account alone at the whole rate, 20
    // times the top tier's reads.
    const readers = readerKeys.map((key) => ({ authorization: `Bearer ${key}` }));
    // The same 64 accounts with limits off: what so many keys cost, apart from the limits.
    routes.push({ name: "GET /v1/balance, 64 accounts", target: { url: `${BASE}/v1/balance`, clients: readers }, floor: 0 });
    routes.push({ name: "GET /v1/balance, limits leased", target: { url: `http://127.0.0.1:${PORT + 1}/v1/balance`, clients: readers }, floor: 0.8 });
    routes.push({ name: "GET /v1/balance, leased, 1 acct", target: { url: `http://127.0.0.1:${PORT + 1}/v1/balance`, headers: submit }, floor: 0 });
    routes.push({ name: "GET /v1/balance, limits unleased", target: { url: `http://127.0.0.1:${PORT + 2}/v1/balance`, clients: readers }, floor: 0 });
    // Each of those instances' own floor: the trivial route served by it, for what is the instance's and not the route's.
    for (const [offset, what] of [[1, "leased"], [2, "unleased"], [3, "uncached"]] as const) {
      routes.push({ name: `GET /bench/trivial, ${what} instance`, target: { url: `http://127.0.0.1:${PORT + offset}/bench/trivial` }, floor: 0 });
    }
    // The same floor for an answer as large as the gallery page's: what Next costs to send it.
    const pageBytes = (await (await fetch(`${BASE}/v1/jobs?limit=50`, { headers: gallery })).arrayBuffer()).byteLength;
    routes.push({ name: `GET /bench/trivial?bytes=${pageBytes}`, target: { url: `${BASE}/bench/trivial?bytes=${pageBytes}` }, floor: 0 });
    // And for a route with a path parameter, answering as much as GET /v1/jobs/{id} does.
    const jobBytes = (await (await fetch(getJob.url, { headers: submit })).arrayBuffer()).byteLength;
    const jobFloor: Target = { url: `${BASE}/bench/trivial/${finishedJobId}?bytes=${jobBytes}` };
    routes.push({ name: `GET /bench/trivial/{id}?bytes=${jobBytes}`, target: jobFloor, floor: 0 });
    const cpu = os.cpus();
    console.log(`${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Postgres ${pgVersion} (${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}); load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log(`next start, EASEL_WORKER=off, EASEL_RATE_LIMITS=off (but "limits on": other instances, limits counted in Postgres, allowances × 10,000); ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s per route\n`);

    const measured = routes.filter((route, index) => index === 0 || !ONLY || ONLY.some((text) => route.name.includes(text)));
    for (const route of measured) await throughput(route.target, CONNECTIONS, 2); // warm-up: JIT, pools, caches
    const rps = new Map<string, number[]>(measured.map((r) => [r.name, []]));
    const ratios = new Map<string, number[]>(measured.map((r) => [r.name, []]));
    const cpuPerRequest = new Map<string, number[]>(measured.map((r) => [r.name, []]));
    const serving = (target: Target) => children[Number(new URL(target.url).port) - PORT]!;
    for (let round = 0; round < ROUNDS; round++) {
      let floor = 0;
      for (const route of measured) {
        const server = serving(route.target);
        const cpuBefore = cpuSeconds(server);
        const result = await throughput(route.target, CONNECTIONS, DURATION_S);
        if (result.failed > 0) throw new Error(`${route.name}: ${result.failed} of ${result.ok + result.failed} requests failed`);
        cpuPerRequest.get(route.name)!.push(((cpuSeconds(server) - cpuBefore) * 1e6) / result.ok);
        floor ||= result.rps;
        rps.get(route.name)!.push(result.rps);
        ratios.get(route.name)!.push(result.rps / floor);
      }
    }
    if (ROUNDS > 0) console.log(`${"throughput, median of rounds".padEnd(32)} ${"req/s".padStart(7)}  ratio  target          CPU µs/req  ratio per round`);
    for (const route of ROUNDS > 0 ? measured : []) {
      const ratio = median(ratios.get(route.name)!);
      const verdict = route.floor === 1 || route.floor === 0 ? "".padEnd(15) : `≥ ${route.floor.toFixed(2)} ${ratio >= route.floor ? "met   " : "MISSED"}`;
      const cpu = median(cpuPerRequest.get(route.name)!).toFixed(0).padStart(10);
      console.log(`${route.name.padEnd(32)} ${median(rps.get(route.name)!).toFixed(0).padStart(7)}  ${ratio.toFixed(2)}   ${verdict}  ${cpu}  ${ratios.get(route.name)!.map((v) => v.toFixed(2)).join(" ")}`);
    }
    if (ONLY) return;

    await settleWrites();
    console.log(`\n${"open loop, latency in ms".padEnd(32)} ${"offered".padStart(7)} ${"served".padStart(7)}    p50    p90    p99    max  target (at 100/s: p50 ≤ trivial + 1, p99 ≤ 15)`);
    for (const rate of [100, 400]) {
      let base: Latency | undefined;
      // The floor for GET job's own: a route that does nothing behind a path parameter, answering as much.
      const floors = [["GET /bench/trivial", trivial, false], ["GET /bench/trivial/{id}", jobFloor, false]] as const;
      for (const [name, target, judged] of [...floors, ["GET /v1/jobs/{id}", getJob, true], ["POST /v1/images/generations", postJob, true]] as const) {
        const result = await openLoop(target, rate, LATENCY_S);
        base ??= result;
        const verdict = rate !== 100 || !judged ? "" : result.p50 <= base.p50 + 1 && result.p99 <= 15 ? "met" : `MISSED (p50 +${(result.p50 - base.p50).toFixed(1)})`;
        console.log(`${name.padEnd(32)} ${String(rate).padStart(7)} ${result.achieved.toFixed(0).padStart(7)} ${ms(result.p50)} ${ms(result.p90)} ${ms(result.p99)} ${ms(result.max)}  ${verdict}${result.failed ? `  failed: ${result.failures}` : ""}`);
      }
    }

    await galleryLatency(gallery, galleryAccountId);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve))));
  }
}

/**
 * A checkpoint before the latency runs: the throughput runs just wrote tens of thousands of jobs,
 * and while Postgres writes those pages back, a commit's WAL flush can wait behind it for a
 * tenth of a second — a cost of the previous run, not of the requests measured next. (Measured:
 * POST's p99 at 100/s was 99 ms with that writeback under way, 18 ms with commits not flushed.)
 */
async function settleWrites() {
  const sql = postgres(DATABASE_URL, { onnotice: () => {} });
  try {
    await sql`checkpoint`;
  } catch (error) {
    console.log(`(no checkpoint before the latency runs: ${(error as Error).message})`);
  } finally {
    await sql.end();
  }
}

/** The gallery's query at 100,000 jobs: each filter at 50 requests/s, open loop. */
async function galleryLatency(headers: Record<string, string>, accountId: string) {
  const sql = postgres(DATABASE_URL, { onnotice: () => {} });
  const [{ count }] = (await sql`select count(*)::int from jobs where account_id = ${accountId}`) as unknown as [{ count: number }];
  const [middle] = await sql`select id from jobs where account_id = ${accountId} order by id desc offset ${Math.floor(count / 2)} limit 1`;
  await sql.end();
  console.log(`\n${`gallery, ${count} jobs in the account`.padEnd(46)} ${"offered".padStart(7)}    p50    p90    p99    max  target p99 ≤ 20`);
  const queries = ["", "&status=failed", "&status=canceled", "&model=minimax-image-01", "&tier=fast", "&status=failed&model=imagen-4", `&cursor=${middle!.id}`];
  for (const query of queries) {
    const result = await openLoop({ url: `${BASE}/v1/jobs?limit=50${query}`, headers }, 50, Math.max(3, LATENCY_S / 2));
    console.log(`${`GET /v1/jobs?limit=50${query.replace(/cursor=.*/, "cursor=(page 1,000)")}`.padEnd(46)} ${"50".padStart(7)} ${ms(result.p50)} ${ms(result.p90)} ${ms(result.p99)} ${ms(result.max)}  ${result.p99 <= 20 ? "met" : "MISSED"}${result.failed ? `  failed: ${result.failures}` : ""}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

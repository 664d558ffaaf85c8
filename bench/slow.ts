// npm run bench:slow — one worker process against a slow upstream.
//
// Starts `npm run worker` (one process, EASEL_WORKER_CONCURRENCY, default 256) against a fresh
// `easel_bench_slow` database (or BENCH_DATABASE_URL) with the local renderer at
// LOCAL_RENDERER_LATENCY_MS=10000, and submits 2,000 jobs from 20 accounts:
//   - one heavy account floods: 1,620 jobs at ~60/s, well past what the worker can take;
//   - 19 light accounts submit 20 jobs each, one every ~160 ms between them, once the flood is
//     in full swing (from BENCH_LIGHT_AFTER_MS, default 12 s: the first wave of the flood has
//     started finishing, so that slots free up one by one as they would in production).
// Reports jobs in flight (sampled every 250 ms), throughput (first submit to last settlement),
// the worker's peak RSS (from /proc), and the light accounts' queue wait (created → claimed).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const FRESH = !process.env.BENCH_DATABASE_URL;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/easel_bench_slow";
const LATENCY_MS = process.env.BENCH_LATENCY_MS ?? "10000";
const CONCURRENCY = process.env.EASEL_WORKER_CONCURRENCY ?? "256";
const HEAVY_JOBS = 1620;
const LIGHT_ACCOUNTS = 19;
const LIGHT_JOBS_EACH = 20;
const LIGHT_AFTER_MS = Number(process.env.BENCH_LIGHT_AFTER_MS ?? 12_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "easel-bench-slow-"));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function freshDatabase() {
  if (!FRESH) return;
  const admin = new URL(DATABASE_URL);
  const name = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.unsafe(`create database "${name}"`);
  await sql.end();
}

function startWorker(): Promise<ChildProcess> {
  const child = spawn("node", ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL,
      EASEL_DATA_DIR: dataDir,
      AUTH_SECRET: "bench",
      LOCAL_RENDERER_LATENCY_MS: LATENCY_MS,
      EASEL_WORKER_CONCURRENCY: CONCURRENCY,
      EASEL_RATE_LIMITS: "off",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("worker started")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

/** Resident set size of a process, in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function main() {
  await freshDatabase();
  process.env.DATABASE_URL = DATABASE_URL;
  process.env.EASEL_DATA_DIR = dataDir;
  process.env.AUTH_SECRET = "bench";
  process.env.EASEL_RATE_LIMITS = "off";
  const { createUser } = await import("@/lib/accounts/users");
  const { createJob } = await import("@/lib/jobs/create");
  const { parseGenerationRequest } = await import("@/lib/jobs/generation-request");
  const { connect, disconnect } = await import("@/db/client");
  const pg = (await connect()).pg!;

  const accounts = await Promise.all(
    Array.from({ length: 1 + LIGHT_ACCOUNTS }, (_, i) =>
      createUser({ email: `bench-slow-${Date.now()}-${i}@example.test`, creditMicros: 1_000_000_000n }),
    ),
  );
  const principals = accounts.map(({ account }) => ({ accountId: account.id, apiKeyId: null, lifetimeDepositsMicros: 0n }));
  const [heavy, ...light] = principals;
  const request = parseGenerationRequest({ model: "minimax-image-01", prompt: "a slow upstream's small image" }, "generation");
  const submit = (principal: (typeof principals)[number]) => createJob({ principal, request });
  const total = HEAVY_JOBS + LIGHT_ACCOUNTS * LIGHT_JOBS_EACH;

  const worker = await startWorker();
  let peakInFlight = 0;
  let peakRss = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [row] = await pg`select count(*)::int as n from jobs where status = 'processing'`;
      peakInFlight = Math.max(peakInFlight, row!.n as number);
      peakRss = Math.max(peakRss, rssMb(worker.pid!));
      await sleep(250);
    }
  })();

  try {
    const started = performance.now();
    const flood = (async () => {
      for (let i = 0; i < HEAVY_JOBS; i += 6) {
        await Promise.all(Array.from({ length: Math.min(6, HEAVY_JOBS - i) }, () => submit(heavy!)));
        await sleep(100); // ~60 jobs/s
      }
    })();
    const trickle = (async () => {
      await sleep(LIGHT_AFTER_MS);
      for (let i = 0; i < LIGHT_ACCOUNTS * LIGHT_JOBS_EACH; i++) {
        await submit(light[i % LIGHT_ACCOUNTS]!);
        await sleep(160);
      }
    })();
    await Promise.all([flood, trickle]);
    const submitted = performance.now();
    for (;;) {
      const [row] = await pg`select count(*)::int as n from jobs where status in ('succeeded', 'failed', 'expired')`;
      if ((row!.n as number) >= total) break;
      await sleep(200);
    }
    const finished = performance.now();
    sampling = false;
    await sampler;

    const lightIds = light.map((principal) => principal!.accountId);
    const waits = (
      await pg`select extract(epoch from (started_at - created_at)) * 1000 as ms from jobs where account_id = any(${lightIds})`
    )
      .map((row) => Number(row.ms))
      .sort((a, b) => a - b);
    const [failed] = await pg`select count(*)::int as n from jobs where status <> 'succeeded'`;

    console.log(
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}; one worker process, ` +
        `concurrency ${CONCURRENCY}, local renderer at ${LATENCY_MS} ms`,
    );
    console.log(`jobs in flight     peak ${peakInFlight}   (target ≥ 200)`);
    console.log(
      `throughput         ${(total / ((finished - started) / 1000)).toFixed(1)} jobs/s   (${total} jobs: submitted in ` +
        `${((submitted - started) / 1000).toFixed(1)} s, all settled after ${((finished - started) / 1000).toFixed(1)} s; ` +
        `${failed!.n} not succeeded; target ≥ 20 jobs/s)`,
    );
    console.log(`worker RSS         peak ${peakRss.toFixed(0)} MB   (target ≤ 512 MB)`);
    console.log(
      `light queue wait   p50 ${percentile(waits, 50).toFixed(0)} ms   p99 ${percentile(waits, 99).toFixed(0)} ms   ` +
        `max ${waits[waits.length - 1]!.toFixed(0)} ms   (${waits.length} jobs of ${LIGHT_ACCOUNTS} light accounts; target p99 ≤ 1 s)`,
    );
  } finally {
    sampling = false;
    worker.kill("SIGTERM");
    await disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

// npm run bench:queue — the job queue on Postgres, with one worker process.
//
// Starts `npm run worker` (one process) against a fresh `easel_bench_queue` database (or
// BENCH_DATABASE_URL) with LOCAL_RENDERER_LATENCY_MS=0, then measures
//   1. submit → claim latency: jobs submitted one at a time to an idle worker; the time from
//      the job's creation to its claim (started_at), both in the database;
//   2. end-to-end throughput: BENCH_JOBS jobs submitted by 32 concurrent clients, from the first
//      submit to the last job settled.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const FRESH = !process.env.BENCH_DATABASE_URL;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/easel_bench_queue";
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
const JOBS = Number(process.env.BENCH_JOBS ?? 3000);
const CONCURRENCY = process.env.EASEL_WORKER_CONCURRENCY ?? "32";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "easel-bench-queue-"));

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
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn("node", [...profile, "--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL,
      EASEL_DATA_DIR: dataDir,
      AUTH_SECRET: "bench",
      LOCAL_RENDERER_LATENCY_MS: "0",
      EASEL_WORKER_CONCURRENCY: CONCURRENCY,
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

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  await freshDatabase();
  process.env.DATABASE_URL = DATABASE_URL;
  process.env.EASEL_DATA_DIR = dataDir;
  process.env.AUTH_SECRET = "bench";
  process.env.EASEL_RATE_LIMITS = "off"; // thousands of jobs in flight, far past any tier's cap
  const { createUser } = await import("@/lib/accounts/users");
  const { createJob } = await import("@/lib/jobs/create");
  const { parseGenerationRequest } = await import("@/lib/jobs/generation-request");
  const { connect, disconnect } = await import("@/db/client");
  const pg = (await connect()).pg!;

  // One account by default: the worst case, where every hold and settlement takes one row lock.
  const accounts = await Promise.all(
    Array.from({ length: Number(process.env.BENCH_ACCOUNTS ?? 1) }, (_, i) =>
      createUser({ email: `bench-${Date.now()}-${i}@example.test`, creditMicros: 1_000_000_000n }),
    ),
  );
  const principals = accounts.map(({ account }) => ({ accountId: account.id, apiKeyId: null, lifetimeDepositsMicros: 0n }));
  // One prompt: the renderer is deterministic and memoised, so the figures are the queue's.
  const request = parseGenerationRequest({ model: "minimax-image-01", prompt: "a benchmark of one small image" }, "generation");
  let turn = 0;
  const submit = async () => (await createJob({ principal: principals[turn++ % principals.length]!, request })).job.id;
  const settledCount = async () =>
    Number((await pg`select count(*)::int as n from jobs where status in ('succeeded', 'failed')`)[0]!.n);

  const worker = await startWorker();
  try {
    // 1. Latency: one job at a time, the worker idle and listening.
    const ids: string[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      ids.push(await submit());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    while ((await settledCount()) < LATENCY_SAMPLES) await new Promise((resolve) => setTimeout(resolve, 50));
    const rows = await pg`select extract(epoch from (started_at - created_at)) * 1000 as ms from jobs where id = any(${ids})`;
    const latencies = rows.map((row) => Number(row.ms)).sort((a, b) => a - b);

    // 2. Throughput: JOBS jobs from 32 concurrent clients, until the last one settles.
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < JOBS) await submit();
      }),
    );
    const submitted = performance.now();
    while ((await settledCount()) < LATENCY_SAMPLES + JOBS) await new Promise((resolve) => setTimeout(resolve, 20));
    const finished = performance.now();
    const failed = Number((await pg`select count(*)::int as n from jobs where status <> 'succeeded'`)[0]!.n);

    console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}; one worker process, concurrency ${CONCURRENCY}`);
    console.log(`submit → claim    p50 ${percentile(latencies, 50).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   (${LATENCY_SAMPLES} jobs; target p50 ≤ 5 ms)`);
    console.log(
      `end to end        ${(JOBS / ((finished - started) / 1000)).toFixed(0)} jobs/s   (${JOBS} jobs: submitted in ${((submitted - started) / 1000).toFixed(1)} s, ` +
        `all settled after ${((finished - started) / 1000).toFixed(1)} s; ${failed} not succeeded; target ≥ 1,000 jobs/s)`,
    );
  } finally {
    worker.kill("SIGTERM");
    await disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

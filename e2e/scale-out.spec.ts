// The scale-out topology as processes: two app instances and two workers sharing one Postgres,
// files in an S3-protocol server (s3rver), rate limits in Redis. A job submitted on one instance
// is read and downloaded on the other; a limit spent on one is spent on both; a worker killed
// mid-job leaves the job to the sweeper of the other, settled once, its file stored once.
import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { createScratchDatabase } from "../lib/testing/scratch-database";
import { startTestS3, type TestS3 } from "../lib/testing/s3-server";
import { easel, newAuthSecret, startApp, startWorker, stopAll, type Instance } from "./instances";
import { E2E_PORT } from "./local-database";

test.describe.configure({ mode: "serial" });
test.skip(!process.env.DATABASE_URL, "Two instances share one database only on Postgres (run the suite with DATABASE_URL).");
test.setTimeout(180_000);

let s3: TestS3;
let database: { url: string; drop(): Promise<void> };
let sql: postgres.Sql;
let env: Record<string, string>;
let a: Instance;
let b: Instance;
let workers: Instance[] = [];
let key = "";

test.beforeAll(async () => {
  test.setTimeout(300_000);
  s3 = await startTestS3("easel-scale");
  database = await createScratchDatabase(process.env.DATABASE_URL!, "easel_scale");
  sql = postgres(database.url, { max: 2, onnotice: () => {} });
  env = {
    ...s3.env,
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    AUTH_SECRET: newAuthSecret(),
    EASEL_WORKER: "off",
    LOCAL_RENDERER_LATENCY_MS: "200",
    EASEL_LEASE_MS: "2000",
    EASEL_HEARTBEAT_MS: "300",
    EASEL_SWEEP_INTERVAL_MS: "500",
  };
  const email = `scale-${randomUUID()}@example.test`;
  easel(["user:create", "--email", email, "--password", "a long enough password", "--credit", "5"], env);
  key = easel(["key:create", "--email", email], env);
  [a, b] = await Promise.all([startApp(E2E_PORT + 11, env), startApp(E2E_PORT + 12, env)]);
  const workerEnv = { ...env, EASEL_WORKER: "on" };
  workers = [startWorker(workerEnv, "worker-1"), startWorker(workerEnv, "worker-2")];
});

test.afterAll(async () => {
  await stopAll();
  await sql?.end();
  await s3?.close();
  await database?.drop();
});

const auth = () => ({ authorization: `Bearer ${key}` });

async function jobOn(instance: Instance, id: string) {
  const response = await fetch(`${instance.origin}/v1/jobs/${id}`, { headers: auth() });
  expect(response.status).toBe(200);
  return response.json();
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("a job submitted on instance A is read and downloaded on instance B, its files in S3", async () => {
  const submitted = await fetch(`${a.origin}/v1/images/generations`, {
    method: "POST",
    headers: { ...auth(), "content-type": "application/json" },
    body: JSON.stringify({ model: "recraft-v4", prompt: "two lighthouses", n: 2 }),
  });
  expect(submitted.status).toBe(202);
  const { id } = await submitted.json();

  const done = await until("the job to succeed on B", async () => {
    const job = await jobOn(b, id);
    return job.status === "succeeded" ? job : undefined;
  });
  expect(done.images).toHaveLength(2);
  for (const image of done.images) {
    expect(new URL(image.url).origin).toBe(b.origin);
    const file = await fetch(image.url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await file.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
  }
  const [row] = await sql`select count(*)::int as count from files f join job_images i on i.file_id = f.id where i.job_id = ${id}`;
  expect(row!.count).toBe(2);
});

test("a rate limit spent on instance A is spent on instance B: together they never admit more than it", async () => {
  // An account of its own: its minute's allowance of reads is spent to the end here.
  const email = `limits-${randomUUID()}@example.test`;
  easel(["user:create", "--email", email, "--password", "a long enough password"], env);
  const own = { authorization: `Bearer ${easel(["key:create", "--email", email], env)}` };
  const read = (instance: Instance) => fetch(`${instance.origin}/v1/balance`, { headers: own });

  const opening = await read(b); // B has seen the account: it may hold a lease of its own
  const limit = Number(opening.headers.get("x-ratelimit-limit"));
  expect(limit).toBeGreaterThan(0);
  let admitted = 1;
  for (;;) {
    const answer = await read(a);
    if (answer.status === 429) break;
    expect(answer.status).toBe(200);
    admitted++;
    expect(admitted, "instance A alone admitted the whole allowance").toBeLessThanOrEqual(limit);
  }
  // A refuses once the shared count is spent; B has at most the rest of its own small lease.
  let onB = 0;
  while ((await read(b)).status === 200) onB++;
  expect(admitted + onB).toBeLessThanOrEqual(limit);
  expect(onB).toBeLessThanOrEqual(16);
  expect(admitted + onB).toBeGreaterThanOrEqual(limit - 16);
});

test("a worker killed mid-job: the other worker's sweeper retries it, settled once, each file stored once", async () => {
  const submitted = await fetch(`${a.origin}/v1/images/generations`, {
    method: "POST",
    headers: { ...auth(), "content-type": "application/json" },
    body: JSON.stringify({ model: "recraft-v4", prompt: "a slow harbour [[easel:latency=4000]]" }),
  });
  const { id } = await submitted.json();
  const owner = await until("a worker to take the job", async () => {
    const [row] = await sql`select lease_owner from jobs where id = ${id} and status = 'processing'`;
    return (row?.lease_owner as string | undefined) ?? undefined;
  });
  const victim = workers.find((worker) => owner.includes(`_${worker.process.pid}_`));
  expect(victim, `a worker of this test holds the job (${owner})`).toBeDefined();
  await victim!.stop("SIGKILL");

  const done = await until("the job to end after the sweeper", async () => {
    const job = await jobOn(b, id);
    return ["succeeded", "failed"].includes(job.status) ? job : undefined;
  }, 90_000);
  expect(done.status).toBe("succeeded");
  expect(done.charged_amount).toBe(done.estimated_cost);
  const [row] = await sql`select attempts from jobs where id = ${id}`;
  expect(row!.attempts).toBe(2);

  const { ListObjectsV2Command, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ region: "us-east-1", endpoint: s3.settings.endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: "output/" }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  const files = await sql`select i.file_id from job_images i where i.job_id = ${id}`;
  expect(files).toHaveLength(1);
  expect(keys.filter((k) => k.includes(files[0]!.file_id as string))).toHaveLength(1);

  const [money] = await sql`select balance_micros, held_micros from credit_accounts a join jobs j on j.account_id = a.id where j.id = ${id}`;
  expect(BigInt(money!.held_micros as string)).toBe(0n);
});

// The built app reaching real upstream protocols: an instance started with FAL_KEY and
// FAL_QUEUE_URL pointing at a fake fal, and OPENAI_API_KEY and OPENAI_BASE_URL at a fake OpenAI.
// Jobs submitted through /v1 finish with the fakes' images, and the charge is exact.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { createScratchDatabase } from "../lib/testing/scratch-database";
import { startFakeFal, type FakeFal } from "../lib/testing/fake-fal";
import { startFakeOpenAI, type FakeOpenAI } from "../lib/testing/fake-openai";
import { newAuthSecret, startApp, stopAll, type Instance } from "./instances";
import { E2E_PORT } from "./local-database";
import { SignUpPage } from "./pages/auth-pages";

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

let fal: FakeFal;
let openai: FakeOpenAI;
let app: Instance;
let dataDir: string;
let database: { url: string; drop(): Promise<void> } | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  [fal, openai] = await Promise.all([startFakeFal(), startFakeOpenAI()]);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "easel-upstreams-"));
  database = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, "easel_upstreams") : undefined;
  const env: Record<string, string | undefined> = {
    ...fal.env,
    ...openai.env,
    EASEL_DATA_DIR: dataDir,
    AUTH_SECRET: newAuthSecret(),
    EASEL_PROVIDER_POLL_MS: "20",
    EASEL_SIGNUPS_PER_HOUR: "1000",
  };
  env.DATABASE_URL = database?.url; // unset: PGlite in the data directory
  app = await startApp(E2E_PORT + 21, env);
});

test.afterAll(async () => {
  await stopAll();
  await Promise.all([fal?.close(), openai?.close()]);
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A new account on the instance, signed in; its requests carry the session and our Origin. */
async function signedIn(page: import("@playwright/test").Page): Promise<APIRequestContext> {
  await page.goto(`${app.origin}/sign-up`);
  await new SignUpPage(page).signUp({ email: `up-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/compose");
  return page.request;
}

async function submitAndWait(request: APIRequestContext, body: Record<string, unknown>) {
  const submitted = await request.post(`${app.origin}/v1/images/generations`, { data: body, headers: { origin: app.origin } });
  expect(submitted.status()).toBe(202);
  const { id } = await submitted.json();
  for (let i = 0; i < 200; i++) {
    const job = await (await request.get(`${app.origin}/v1/jobs/${id}`)).json();
    if (!["queued", "processing"].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${id} did not end`);
}

test("recraft-v4 through fal: fal's image, fal's request id, the list price charged", async ({ page }) => {
  const request = await signedIn(page);
  const before = await (await request.get(`${app.origin}/v1/balance`)).json();
  const job = await submitAndWait(request, { model: "recraft-v4", prompt: "a paper lantern", n: 2 });
  expect(job).toMatchObject({ status: "succeeded", provider: "fal", fallback_layer: 0, charged_amount: 0.108, released_amount: 0 });
  expect(fal.issued()).toContain(job.upstream_request_id.split(",")[0]);
  expect(fal.submissions().filter((s) => s.app.includes("recraft/v4"))).toHaveLength(2);
  for (const image of job.images) {
    const bytes = Buffer.from(await (await request.get(image.url)).body());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe("png");
    expect([meta.width, meta.height]).toEqual([image.width, image.height]);
  }
  const after = await (await request.get(`${app.origin}/v1/balance`)).json();
  expect(after.balance).toBeCloseTo(before.balance - 0.108, 6);
  expect(after.held).toBe(0);
});

test("gpt-image-2 through OpenAI: OpenAI's base64 image decoded and stored, priced by quality", async ({ page }) => {
  const request = await signedIn(page);
  const before = await (await request.get(`${app.origin}/v1/balance`)).json();
  const job = await submitAndWait(request, { model: "gpt-image-2", prompt: "a typeset poster", quality: "low", size: "1536x1024" });
  expect(job).toMatchObject({ status: "succeeded", provider: "openai", fallback_layer: 0 });
  expect(job.charged_amount).toBe(0.021); // 0.014 × 1.5 for 1536×1024
  expect(openai.received.filter((r) => r.method === "POST" && r.path.endsWith("/images/generations"))).toHaveLength(1);
  const [image] = job.images;
  expect([image.width, image.height]).toEqual([1536, 1024]);
  const after = await (await request.get(`${app.origin}/v1/balance`)).json();
  expect(after.balance).toBeCloseTo(before.balance - 0.021, 6);
  expect(after.held).toBe(0);
});

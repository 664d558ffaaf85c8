// The official `openai` npm package, unchanged, against the running app: baseURL set to Easel's
// /openai/v1 and an Easel API key. Generations (base64 and URLs, n, a size, a quality), edits
// as the SDK sends them (multipart, one and three files), models, an error with its code, a
// forced failure that is neither retried nor paid for, and a 402.
import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import OpenAI, { toFile } from "openai";
import sharp from "sharp";
import { SignUpPage } from "./pages/auth-pages";
import { DashboardHeader, KeysPage } from "./pages/dashboard";

test.describe.configure({ mode: "serial" });

let secret = "";
let client: OpenAI;
let baseURL = "";

async function newAccountKey(page: Page): Promise<string> {
  await new SignUpPage(page).goto();
  await new SignUpPage(page).signUp({ email: `sdk-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/compose");
  await new DashboardHeader(page).open("API keys");
  return new KeysPage(page).create("openai sdk");
}

const png = (color: string) => sharp({ create: { width: 64, height: 64, channels: 3, background: color } }).png().toBuffer();

async function jobCount(): Promise<number> {
  const response = await fetch(`${baseURL}/v1/jobs?limit=100`, { headers: { authorization: `Bearer ${secret}` } });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

test.beforeAll(async ({ browser }, info) => {
  baseURL = info.project.use.baseURL!;
  const page = await browser.newPage({ baseURL });
  secret = await newAccountKey(page);
  await page.close();
  client = new OpenAI({ apiKey: secret, baseURL: `${baseURL}/openai/v1` });
});

test("images.generate: base64 by default, n images at the size asked, charged as listed", async () => {
  const result = await client.images.generate({ model: "recraft-v4", prompt: "a paper crane on a desk", n: 2, size: "1024x1024" });
  expect(result.data).toHaveLength(2);
  for (const image of result.data ?? []) {
    const meta = await sharp(Buffer.from(image.b64_json!, "base64")).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1024, 1024]);
  }
  expect(result.size).toBe("1024x1024");
  expect((result as unknown as { easel: { charged_amount: number } }).easel.charged_amount).toBe(0.108);
});

test("images.generate: response_format url, and a quality and size mapped for gpt-image-2", async () => {
  const asUrl = await client.images.generate({ model: "recraft-v4", prompt: "a red kite", response_format: "url" });
  const file = await fetch(asUrl.data![0]!.url!);
  expect(file.status).toBe(200);
  expect(file.headers.get("content-type")).toBe("image/png");

  const hd = await client.images.generate({ model: "gpt-image-2", prompt: "a poster that says HELLO", quality: "low", size: "1536x1024" });
  expect(hd.quality).toBe("low");
  expect(hd.size).toBe("1536x1024");
  expect((hd as unknown as { easel: { charged_amount: number } }).easel.charged_amount).toBe(0.021);
});

test("images.edit with one file and with three (multipart, image[])", async () => {
  const one = await client.images.edit({
    model: "flux-kontext-pro",
    image: await toFile(await png("#336699"), "source.png", { type: "image/png" }),
    prompt: "make the sky stormy",
  });
  expect(one.data).toHaveLength(1);

  const three = await client.images.edit({
    model: "nano-banana",
    image: await Promise.all(["#aa0000", "#00aa00", "#0000aa"].map(async (color, i) => toFile(await png(color), `ref-${i}.png`, { type: "image/png" }))),
    prompt: "blend these three",
    n: 1,
  });
  expect(three.data).toHaveLength(1);
  const meta = await sharp(Buffer.from(three.data![0]!.b64_json!, "base64")).metadata();
  expect(meta.format).toBe("png");
});

test("models.list and models.retrieve", async () => {
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  expect(ids).toContain("recraft-v4");
  expect(ids).toContain("gpt-image-2");
  const model = await client.models.retrieve("recraft-v4");
  expect(model).toMatchObject({ id: "recraft-v4", object: "model", owned_by: "easel" });
  await expect(client.models.retrieve("dall-e-9")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
});

test("a bad model is a BadRequestError with its code; nothing is created", async () => {
  const before = await jobCount();
  const error = await client.images.generate({ model: "dall-e-3", prompt: "a cat" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe("unknown_model");
  expect(await jobCount()).toBe(before);
});

test("a failed job: one job, released, and the SDK does not retry it", async () => {
  const before = await jobCount();
  const error = await client.images.generate({ model: "minimax-image-01", prompt: "no luck [[easel:fail]]" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("job_failed");
  expect(await jobCount()).toBe(before + 1); // the SDK retries 5xx twice unless told not to
  const jobs = await (await fetch(`${baseURL}/v1/jobs?limit=1`, { headers: { authorization: `Bearer ${secret}` } })).json();
  expect(jobs.data[0]).toMatchObject({ status: "failed", charged_amount: 0 });
});

test("more than the credit: a 402 with its code, and no job", async () => {
  const before = await jobCount();
  const error = await client.images.generate({ model: "gpt-image-2", prompt: "four posters", quality: "high", n: 4 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
  expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("insufficient_credits");
  expect(await jobCount()).toBe(before);
});

// The synchronous image API (POST /api/v1/image/generate and /edit), as its clients call it:
// width/height or aspect_ratio, num_images, seed; URLs for FLUX and other models, base64 with a
// MIME type for Imagen; a model Easel lacks refused with the list of those it has.
import "@/lib/testing/isolated-database";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as upload } from "@/app/v1/uploads/route";
import { JobWorker } from "@/lib/jobs/worker";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { POST as edit } from "./edit/route";
import { POST as generate } from "./generate/route";

let worker: JobWorker;
beforeAll(async () => {
  worker = new JobWorker({ concurrency: 8 });
  await worker.start();
});
afterAll(() => worker.stop(0));

const post = (handler: typeof generate, path: string, secret: string, body: unknown) => call(handler, apiRequest(path, { key: secret, body }));

describe("POST /api/v1/image/generate", () => {
  test("flux-2-pro by default, at the width and height asked, answered with URLs when the job ends", async () => {
    const { secret } = await createTestAccount();
    const answer = await post(generate, "/api/v1/image/generate", secret, { prompt: "a harbour at dawn", width: 1920, height: 1080, seed: 7 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ model: "flux-2-pro", cost: 0.06075 });
    expect(answer.body.images).toHaveLength(1);
    expect(answer.body.images[0]).toMatchObject({ width: 1920, height: 1080 });
    expect(answer.body.images[0].url).toMatch(/\/v1\/files\/file_/);
  });

  test("Imagen answers base64 and a mimeType; num_images and aspect_ratio are taken", async () => {
    const { secret } = await createTestAccount();
    const answer = await post(generate, "/api/v1/image/generate", secret, { prompt: "a fox", model: "imagen-4", num_images: 2, aspect_ratio: "16:9" });
    expect(answer.status).toBe(200);
    expect(answer.body.images).toHaveLength(2);
    for (const image of answer.body.images) {
      expect(image.mimeType).toBe("image/png");
      expect(image.url).toBeUndefined();
      const meta = await sharp(Buffer.from(image.base64, "base64")).metadata();
      expect([meta.width, meta.height]).toEqual([image.width, image.height]);
      expect(image.width).toBeGreaterThan(image.height);
    }
    expect(answer.body.cost).toBe(0.108);
  });

  test("a model this API lists but Easel does not serve: unknown_model, naming those it does", async () => {
    const { secret } = await createTestAccount();
    const answer = await post(generate, "/api/v1/image/generate", secret, { prompt: "a cat", model: "sd-3.5" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "unknown_model", param: "model" });
    expect(answer.body.error.message).toContain("flux-2-pro");
    expect(answer.body.error.message).toContain("imagen-4-ultra");
  });

  test("out-of-range and half-given sizes, 2K on a 1 MP model, a missing prompt: 400s naming them", async () => {
    const { secret } = await createTestAccount();
    const refused = async (body: Record<string, unknown>) => (await post(generate, "/api/v1/image/generate", secret, body)).body.error;
    expect(await refused({ prompt: "p", width: 4096, height: 1024 })).toMatchObject({ code: "invalid_parameter", param: "width" });
    expect(await refused({ prompt: "p", width: 1024 })).toMatchObject({ code: "invalid_parameter", param: "height" });
    expect(await refused({ prompt: "p", model: "imagen-4", image_size: "2K" })).toMatchObject({ code: "unsupported_size" });
    expect(await refused({ model: "flux-2-pro" })).toMatchObject({ code: "prompt_required" });
    expect(await refused({ prompt: "p", num_images: 5 })).toMatchObject({ code: "invalid_parameter", param: "num_images" });
  });

  test("a failed job answers its failure, nothing charged, and asks not to be retried", async () => {
    const { secret } = await createTestAccount();
    const answer = await post(generate, "/api/v1/image/generate", secret, { prompt: "no luck [[easel:fail]]", model: "minimax-image-01" });
    expect(answer.status).toBe(502);
    expect(answer.headers.get("x-should-retry")).toBe("false");
    expect(answer.body.error).toMatchObject({ code: "job_failed" });
    expect(answer.body.error.job_id).toMatch(/^job_/);
  });
});

describe("POST /api/v1/image/edit", () => {
  test("image_url is required; with it, flux-kontext-pro by default edits it", async () => {
    const { secret } = await createTestAccount();
    const missing = await post(edit, "/api/v1/image/edit", secret, { prompt: "make it night" });
    expect(missing.body.error).toMatchObject({ code: "image_url_required", param: "image_url" });

    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await sharp({ create: { width: 96, height: 64, channels: 3, background: "#4466aa" } }).png().toBuffer())]), "a.png");
    const uploaded = await call(upload, new Request("http://localhost:3000/v1/uploads", { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: form }));
    const answer = await post(edit, "/api/v1/image/edit", secret, { prompt: "make it night", image_url: uploaded.body.url });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ model: "flux-kontext-pro", cost: 0.054 });
    expect(answer.body.images).toHaveLength(1);
  });
});

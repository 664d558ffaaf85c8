// The OpenAI Images API routes answer as the document says (every answer checked against it):
// generations, multipart edits, models, and their refusals. The official SDK's own test is
// e2e/openai-sdk.spec.ts, against the running app.
import "@/lib/testing/isolated-database";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JobWorker } from "@/lib/jobs/worker";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { POST as edits } from "./images/edits/route";
import { POST as generations } from "./images/generations/route";
import { GET as model } from "./models/[id]/route";
import { GET as models } from "./models/route";

let worker: JobWorker;
beforeAll(async () => {
  worker = new JobWorker({ concurrency: 8 });
  await worker.start();
});
afterAll(() => worker.stop(0));

const png = async () => Buffer.from(await sharp({ create: { width: 64, height: 64, channels: 3, background: "#884422" } }).png().toBuffer());

describe("/openai/v1", () => {
  test("images/generations: the job's images inline, its id in a header", async () => {
    const { secret } = await createTestAccount();
    const answer = await call(generations, apiRequest("/openai/v1/images/generations", { key: secret, body: { prompt: "a lamp", model: "recraft-v4", n: 1 } }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ size: "1024x1024", quality: "auto", output_format: "png" });
    expect(answer.headers.get("x-easel-job-id")).toBe(answer.body.easel.job_id);
    expect(Buffer.from(answer.body.data[0].b64_json, "base64").subarray(1, 4).toString()).toBe("PNG");
  });

  test("images/generations: stream, unknown fields and unreachable sizes are 400s that say so", async () => {
    const { secret } = await createTestAccount();
    const refused = async (body: Record<string, unknown>) => (await call(generations, apiRequest("/openai/v1/images/generations", { key: secret, body }))).body.error;
    expect(await refused({ prompt: "p", stream: true })).toMatchObject({ code: "streaming_unsupported", param: "stream" });
    expect(await refused({ prompt: "p", colour: "red" })).toMatchObject({ code: "unknown_parameter", param: "colour" });
    expect(await refused({ prompt: "p", model: "gpt-image-2", size: "3000x1000" })).toMatchObject({ code: "unsupported_size" });
  });

  test("images/edits: multipart with image[] files and numbers as strings", async () => {
    const { secret } = await createTestAccount();
    const form = new FormData();
    form.append("model", "nano-banana");
    form.append("prompt", "blend them");
    form.append("n", "1");
    for (let i = 0; i < 2; i++) form.append("image[]", new Blob([new Uint8Array(await png())], { type: "image/png" }), `ref-${i}.png`);
    const request = new Request("http://localhost:3000/openai/v1/images/edits", { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: form });
    const answer = await call(edits, request);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(1);
  });

  test("images/edits without an image: 400 image_url_required", async () => {
    const { secret } = await createTestAccount();
    const form = new FormData();
    form.append("prompt", "edit nothing");
    const request = new Request("http://localhost:3000/openai/v1/images/edits", { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: form });
    const answer = await call(edits, request);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("image_url_required");
    expect(answer.headers.get("x-should-retry")).toBe("false");
  });

  test("models and models/{id}; an unknown one is 404 model_not_found", async () => {
    const { secret } = await createTestAccount();
    const list = await call(models, apiRequest("/openai/v1/models", { key: secret }));
    expect(list.body.data.map((m: { id: string }) => m.id)).toContain("flux-2-pro");
    const one = await call(model, apiRequest("/openai/v1/models/gpt-image-2", { key: secret }), { id: "gpt-image-2" });
    expect(one.body).toMatchObject({ id: "gpt-image-2", object: "model" });
    const missing = await call(model, apiRequest("/openai/v1/models/dall-e-2", { key: secret }), { id: "dall-e-2" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("model_not_found");
  });
});

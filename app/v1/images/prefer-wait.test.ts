// Prefer: wait on POST /v1/images/generations: a job that ends in time answers 200 with its final
// state and Preference-Applied; one that does not answers the usual 202. Also the job's links and
// the headers that say a fallback served it.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as getJob } from "@/app/v1/jobs/[id]/route";
import { POST as cancel } from "@/app/v1/jobs/[id]/cancel/route";
import { JobWorker } from "@/lib/jobs/worker";
import { startFakeRecraft } from "@/lib/testing/fake-recraft";
import { withUpstreamEnv } from "@/lib/testing/provider-jobs";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { waitForTerminal } from "@/lib/testing/jobs";
import { POST as generate } from "./generations/route";

let worker: JobWorker;
beforeAll(async () => {
  worker = new JobWorker({ concurrency: 16 });
  await worker.start();
});
afterAll(() => worker.stop(0));

const submit = (secret: string, body: Record<string, unknown>, prefer?: string) =>
  call(generate, apiRequest("/v1/images/generations", { key: secret, body, headers: prefer ? { prefer } : {} }));

describe("Prefer: wait", () => {
  test("a job that ends within the wait: 200, its final state with images, Preference-Applied: wait", async () => {
    const { secret } = await createTestAccount();
    const started = performance.now();
    const answer = await submit(secret, { prompt: "a quick sketch [[easel:latency=1000]]", n: 2 }, "wait=20");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("preference-applied")).toBe("wait");
    expect(answer.body).toMatchObject({ status: "succeeded", charged_amount: 0.108, released_amount: 0 });
    expect(answer.body.images).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  test("a job still running when the wait is over: the usual 202, without Preference-Applied", async () => {
    const { secret } = await createTestAccount();
    const started = performance.now();
    const answer = await submit(secret, { prompt: "a slow painting [[easel:latency=5000]]" }, "wait=1");
    expect(answer.status).toBe(202);
    expect(answer.headers.get("preference-applied")).toBeNull();
    expect(["queued", "processing"]).toContain(answer.body.status);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(4500);
    await call(cancel, apiRequest(`/v1/jobs/${answer.body.id}/cancel`, { key: secret, method: "POST" }), { id: answer.body.id });
  });

  test("a failed job within the wait: 200 with the failure, the hold released", async () => {
    const { secret } = await createTestAccount();
    const answer = await submit(secret, { prompt: "no luck [[easel:fail]] [[easel:latency=0]]" }, "wait");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "failed", charged_amount: 0 });
  });

  test("without Prefer: 202 at once; the job carries links to itself", async () => {
    const { secret, principal } = await createTestAccount();
    const answer = await submit(secret, { prompt: "a harbour [[easel:latency=0]]" });
    expect(answer.status).toBe(202);
    expect(answer.body.urls).toEqual({ get: `/v1/jobs/${answer.body.id}`, cancel: `/v1/jobs/${answer.body.id}/cancel` });
    expect(answer.headers.get("x-easel-fallback")).toBeNull();
    // Let it end here: a job still queued when the next test points Recraft at a fake would be
    // served there and use up that test's scripted answers.
    await waitForTerminal(principal, answer.body.id);
  });
});

describe("X-Easel-Fallback", () => {
  test("a job served by a fallback says so on its answers", async () => {
    const recraft = await startFakeRecraft();
    try {
      // Recraft refuses our key: fal is not set, so the renderer serves.
      recraft.script.push("unauthorized");
      await withUpstreamEnv(recraft.env, async () => {
        const { secret } = await createTestAccount();
        const answer = await submit(secret, { model: "recraft-v4", prompt: "served second-hand" }, "wait=20");
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ status: "succeeded", provider: "local", fallback_layer: 1 });
        expect(answer.headers.get("x-easel-fallback")).toBe("true");
        const read = await call(getJob, apiRequest(`/v1/jobs/${answer.body.id}`, { key: secret }), { id: answer.body.id });
        expect(read.headers.get("x-easel-fallback")).toBe("true");
        expect(read.headers.get("x-easel-fallback-layer")).toBe("1");
        expect(recraft.generations()).toHaveLength(1);
      });
    } finally {
      await recraft.close();
    }
  });
});

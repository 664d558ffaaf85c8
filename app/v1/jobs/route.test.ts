import { afterEach, describe, expect, test } from "vitest";
import { GET as getBalance } from "@/app/v1/balance/route";
import { POST as generate } from "@/app/v1/images/generations/route";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { apiRequest, call, createTestAccount } from "@/lib/testing/fixtures";
import { POST as cancel } from "./[id]/cancel/route";
import { GET as getJob } from "./[id]/route";
import { GET as listJobs } from "./route";

afterEach(() => assertLedgerInvariants());

async function submit(key: string, body: Record<string, unknown>) {
  const response = await call(generate, apiRequest("/v1/images/generations", { key, body }));
  expect(response.status).toBe(202);
  return response.body;
}
const list = (key: string, query = "") => call(listJobs, apiRequest(`/v1/jobs${query}`, { key }));
const fetchJob = (key: string, id: string) => call(getJob, apiRequest(`/v1/jobs/${id}`, { key }), { id });
const cancelJob = (key: string, id: string) => call(cancel, apiRequest(`/v1/jobs/${id}/cancel`, { key, method: "POST" }), { id });

describe("GET /v1/jobs/{id}", () => {
  test("returns the caller's job", async () => {
    const { secret } = await createTestAccount();
    const job = await submit(secret, { prompt: "mine" });
    const response = await fetchJob(secret, job.id);
    expect(response.status).toBe(200);
    // The same job; a read also says where it stands in the queue (the submit path does not look).
    expect(job.queue_position).toBeNull();
    expect(response.body).toEqual({ ...job, queue_position: expect.any(Number) });
    expect(response.body.queue_position).toBeGreaterThanOrEqual(1);
  });

  test("another account's job is a 404, exactly like a job that does not exist", async () => {
    const owner = await createTestAccount();
    const stranger = await createTestAccount();
    const job = await submit(owner.secret, { prompt: "private" });
    const theirs = await fetchJob(stranger.secret, job.id);
    const nobody = await fetchJob(stranger.secret, "job_00000000000000000000000000");
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ type: "not_found_error", code: "job_not_found" });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe(theirs.body.error.code);
  });
});

describe("GET /v1/jobs", () => {
  test("lists newest first, a page at a time, following next_cursor", async () => {
    const { secret } = await createTestAccount();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await submit(secret, { prompt: `job ${i}` })).id);
      await new Promise((resolve) => setTimeout(resolve, 2)); // distinct milliseconds in the ids
    }
    const seen: string[] = [];
    let query = "?limit=2";
    for (;;) {
      const page = await list(secret, query);
      expect(page.status).toBe(200);
      expect(page.body.object).toBe("list");
      seen.push(...page.body.data.map((job: { id: string }) => job.id));
      if (!page.body.has_more) {
        expect(page.body.next_cursor).toBeNull();
        break;
      }
      query = `?limit=2&cursor=${page.body.next_cursor}`;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  test("filters by status and model, and never shows another account's jobs", async () => {
    const { secret } = await createTestAccount();
    const other = await createTestAccount();
    await submit(other.secret, { prompt: "not yours" });
    const cheap = await submit(secret, { prompt: "cheap", model: "minimax-image-01" });
    const canceled = await submit(secret, { prompt: "to cancel" });
    await cancelJob(secret, canceled.id);

    const all = await list(secret);
    expect(all.body.data.map((j: { id: string }) => j.id).sort()).toEqual([cheap.id, canceled.id].sort());
    const byModel = await list(secret, "?model=minimax-image-01");
    expect(byModel.body.data.map((j: { id: string }) => j.id)).toEqual([cheap.id]);
    const byStatus = await list(secret, "?status=canceled");
    expect(byStatus.body.data.map((j: { id: string }) => j.id)).toEqual([canceled.id]);
    expect((await list(secret, "?status=succeeded")).body.data).toEqual([]);
    const cheapTier = await list(secret, "?tier=cheap");
    expect(cheapTier.body.data.map((j: { id: string }) => j.id)).toEqual([cheap.id]);
    const fastTier = await list(secret, "?tier=fast");
    expect(fastTier.body.data.map((j: { id: string }) => j.id)).toEqual([canceled.id]); // recraft-v4
  });

  test.each([
    ["?limit=0", "invalid_parameter", "limit"],
    ["?limit=101", "invalid_parameter", "limit"],
    ["?limit=abc", "invalid_parameter", "limit"],
    ["?status=done", "invalid_parameter", "status"],
    ["?model=nope", "unknown_model", "model"],
    ["?tier=premium", "invalid_parameter", "tier"],
    ["?cursor=garbage", "invalid_cursor", "cursor"],
  ])("%s → 400 %s", async (query, code, param) => {
    const { secret } = await createTestAccount();
    const response = await list(secret, query);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code, param });
  });
});

describe("POST /v1/jobs/{id}/cancel", () => {
  test("cancels a queued job, releases the whole hold, and a second cancel is 409", async () => {
    const { secret } = await createTestAccount({ creditUsd: "1" });
    const job = await submit(secret, { prompt: "never mind", n: 3 });
    const canceled = await cancelJob(secret, job.id);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ id: job.id, status: "canceled", charged_amount: 0, released_amount: 0.162 });
    expect(canceled.body.completed_at).not.toBeNull();

    const balance = await call(getBalance, apiRequest("/v1/balance", { key: secret }));
    expect(balance.body).toMatchObject({ balance: 1, held: 0, available: 1 });

    const again = await cancelJob(secret, job.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ type: "conflict_error", code: "job_not_cancelable" });
  });

  test("another account cannot cancel the job: 404, and the hold stays", async () => {
    const owner = await createTestAccount({ creditUsd: "1" });
    const stranger = await createTestAccount();
    const job = await submit(owner.secret, { prompt: "mine" });
    const response = await cancelJob(stranger.secret, job.id);
    expect(response.status).toBe(404);
    expect((await fetchJob(owner.secret, job.id)).body.status).toBe("queued");
    const balance = await call(getBalance, apiRequest("/v1/balance", { key: owner.secret }));
    expect(balance.body.held).toBe(0.054);
  });
});

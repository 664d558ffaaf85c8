// Caps on the calls in flight to one upstream: the semaphore itself, and jobs against a fake
// Black Forest Labs that, like the real one, refuses tasks past its active-task limit.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { JobWorker } from "@/lib/jobs/worker";
import { startFakeBfl, type FakeBfl } from "@/lib/testing/fake-bfl";
import { createTestAccount } from "@/lib/testing/fixtures";
import { submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { withUpstreamEnv } from "@/lib/testing/provider-jobs";
import { providerConcurrency, ProviderSlots } from "./concurrency";

describe("ProviderSlots", () => {
  const capped = (cap: number | null) => new ProviderSlots(() => cap);

  test("without a cap every call goes at once", async () => {
    const slots = capped(null);
    const releases = await Promise.all(Array.from({ length: 50 }, () => slots.acquire("bfl", new AbortController().signal)));
    expect(slots.active("bfl")).toBe(50);
    for (const release of releases) release();
    expect(slots.active("bfl")).toBe(0);
  });

  test("at the cap, calls wait and are let through first come, first served; a release counts once", async () => {
    const slots = capped(2);
    const never = new AbortController().signal;
    const first = await slots.acquire("bfl", never);
    const second = await slots.acquire("bfl", never);
    const order: string[] = [];
    const third = slots.acquire("bfl", never).then((release) => (order.push("third"), release));
    const fourth = slots.acquire("bfl", never).then((release) => (order.push("fourth"), release));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    expect(slots.active("bfl")).toBe(2);

    first();
    first(); // a second release of the same slot frees nothing more
    await third;
    expect(order).toEqual(["third"]);
    expect(slots.active("bfl")).toBe(2);
    // Another provider's slots are its own.
    (await slots.acquire("recraft", never))();

    second();
    (await fourth)();
    (await third)();
    expect(order).toEqual(["third", "fourth"]);
    expect(slots.active("bfl")).toBe(0);
  });

  test("a call aborted while it waits leaves the queue and takes no slot", async () => {
    const slots = capped(1);
    const held = await slots.acquire("bfl", new AbortController().signal);
    const canceled = new AbortController();
    const waiting = slots.acquire("bfl", canceled.signal);
    canceled.abort(new Error("job canceled"));
    await expect(waiting).rejects.toThrow("job canceled");
    held();
    expect(slots.active("bfl")).toBe(0);
    (await slots.acquire("bfl", new AbortController().signal))();
  });

  test("the cap is read from EASEL_PROVIDER_CONCURRENCY_<NAME>; a bad value is refused", () => {
    expect(providerConcurrency("bfl", {})).toBeNull();
    expect(providerConcurrency("bfl", { EASEL_PROVIDER_CONCURRENCY_BFL: "24" })).toBe(24);
    for (const bad of ["0", "-1", "2.5", "many"]) {
      expect(() => providerConcurrency("bfl", { EASEL_PROVIDER_CONCURRENCY_BFL: bad })).toThrow("EASEL_PROVIDER_CONCURRENCY_BFL must be");
    }
  });
});

describe("EASEL_PROVIDER_CONCURRENCY_BFL against an upstream with an active-task limit", () => {
  let bfl: FakeBfl;
  beforeAll(async () => {
    vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
    bfl = await startFakeBfl({ activeTaskLimit: 2 });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await bfl.close();
  });

  /** Six flux-2-pro jobs at once through a worker with room for all of them. */
  async function sixJobs(env: Record<string, string>) {
    bfl.tasks.refusedForLimit = 0;
    return withUpstreamEnv({ ...bfl.env, ...env }, async () => {
      const { principal, account } = await createTestAccount();
      const worker = new JobWorker({ concurrency: 16, providerRetries: 0 });
      await worker.start();
      try {
        const submitted = await Promise.all(Array.from({ length: 6 }, (_, i) => submitJob(principal, { model: "flux-2-pro", prompt: `a kite ${i}` })));
        const jobs = await Promise.all(submitted.map((job) => waitForTerminal(principal, job.id)));
        await assertLedgerInvariants({ accountId: account.id });
        return jobs;
      } finally {
        await worker.stop();
      }
    });
  }

  test("capped at the limit: the jobs queue here, and BFL serves every one without a 429", async () => {
    const jobs = await sixJobs({ EASEL_PROVIDER_CONCURRENCY_BFL: "2" });
    expect(jobs.map((job) => [job.status, job.provider])).toEqual(Array(6).fill(["succeeded", "bfl"]));
    expect(bfl.tasks.refusedForLimit).toBe(0);
    expect(bfl.tasks.maxActive).toBe(2);
  });

  test("uncapped, the same jobs run into the limit", async () => {
    const jobs = await sixJobs({});
    expect(bfl.tasks.refusedForLimit).toBeGreaterThan(0);
    expect(jobs.filter((job) => job.provider !== "bfl").length).toBeGreaterThan(0); // served by a fallback, or failed
  });
});

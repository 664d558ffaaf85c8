// The API's fast reads of jobs (job-views.ts) show exactly what the query builder's full rows show.
import { describe, expect, test } from "vitest";
import { getJob, getJobWithImages, listJobs } from "@/lib/jobs/queries";
import { presentJob, presentJobs } from "@/lib/jobs/present";
import { createTestAccount } from "@/lib/testing/fixtures";
import { imagesOf } from "@/lib/testing/job-images";
import { endQueuedJob, submitJob, waitForTerminal } from "@/lib/testing/jobs";
import { stopWorkersAfterEach } from "@/lib/testing/test-workers";

const startWorker = stopWorkersAfterEach();
const ORIGIN = "http://localhost:3000";

describe("job views", () => {
  test("a succeeded job with its images, a failed one and a queued one read as their full rows present them", async () => {
    const { principal } = await createTestAccount();
    const done = await submitJob(principal, { prompt: "three in order [[easel:size=1024x1536]]", n: 3, model: "minimax-image-01" });
    const worker = await startWorker();
    await waitForTerminal(principal, done.id);
    const failed = await submitJob(principal, { prompt: "no luck [[easel:fail]]" });
    await waitForTerminal(principal, failed.id);
    await worker.stop(0); // else it may claim the job meant to stay queued
    const canceled = await submitJob(principal, { prompt: "never mind" });
    expect((await endQueuedJob(canceled.id, "canceled"))?.status).toBe("canceled");

    for (const id of [done.id, failed.id, canceled.id]) {
      const full = await getJob({ accountId: principal.accountId, jobId: id });
      const view = await getJobWithImages({ accountId: principal.accountId, jobId: id });
      const images = await imagesOf(id);
      expect(view.images).toEqual(images.map((i) => ({ fileId: i.fileId, width: i.width, height: i.height, contentType: i.contentType })));
      expect(await presentJob(view.job, ORIGIN, view.images)).toEqual(await presentJob(full, ORIGIN));
    }
    const succeeded = await getJobWithImages({ accountId: principal.accountId, jobId: done.id });
    expect(succeeded.images.map((i) => [i.width, i.height])).toEqual([
      [1024, 1536],
      [1024, 1536],
      [1024, 1536],
    ]);

    const page = await listJobs({ accountId: principal.accountId, limit: 10 });
    expect(page.jobs.map((job) => job.id)).toEqual([canceled.id, failed.id, done.id]);
    const fulls = await Promise.all(page.jobs.map((job) => getJob({ accountId: principal.accountId, jobId: job.id })));
    expect(await presentJobs(page.jobs, ORIGIN, page.images)).toEqual(await presentJobs(fulls, ORIGIN));
  });

  test("pages by cursor and filters by status and model, only ever the account's own jobs", async () => {
    const { principal } = await createTestAccount();
    const other = await createTestAccount();
    const ids: string[] = [];
    for (const model of ["minimax-image-01", "flux-2-pro", "minimax-image-01"]) ids.push((await submitJob(principal, { prompt: "p", model })).id);
    await submitJob(other.principal, { prompt: "not theirs" });
    await endQueuedJob(ids[0]!, "canceled");

    const first = await listJobs({ accountId: principal.accountId, limit: 2 });
    expect(first.jobs.map((job) => job.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBe(ids[1]);
    const second = await listJobs({ accountId: principal.accountId, limit: 2, cursor: first.nextCursor! });
    expect(second.jobs.map((job) => job.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await listJobs({ accountId: principal.accountId, limit: 9, status: "canceled" })).jobs.map((job) => job.id)).toEqual([ids[0]]);
    expect((await listJobs({ accountId: principal.accountId, limit: 9, model: "flux-2-pro" })).jobs.map((job) => job.id)).toEqual([ids[1]]);
    const tier = await listJobs({ accountId: principal.accountId, limit: 9, models: ["flux-2-pro", "gpt-image-2"] });
    expect(tier.jobs.map((job) => job.id)).toEqual([ids[1]]);
    expect((await listJobs({ accountId: principal.accountId, limit: 9, models: [] })).jobs).toEqual([]);
  });

  test("a set of models pages newest first across them, with a cursor and a status, the account's own jobs only", async () => {
    const { principal } = await createTestAccount();
    const other = await createTestAccount();
    const models = ["minimax-image-01", "flux-2-pro", "gpt-image-2", "minimax-image-01", "imagen-4", "flux-2-pro", "gpt-image-2"];
    const ids: string[] = [];
    for (const model of models) ids.push((await submitJob(principal, { prompt: "p", model })).id);
    await submitJob(other.principal, { prompt: "not theirs", model: "flux-2-pro" });
    await endQueuedJob(ids[5]!, "canceled");
    const chosen = ["flux-2-pro", "gpt-image-2", "imagen-4"];
    const expected = ids.filter((_, i) => chosen.includes(models[i]!)).reverse();

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listJobs({ accountId: principal.accountId, limit: 2, models: chosen, cursor });
      pages.push(page.jobs.map((job) => job.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4)]);
    const canceled = await listJobs({ accountId: principal.accountId, limit: 9, models: chosen, status: "canceled" });
    expect(canceled.jobs.map((job) => job.id)).toEqual([ids[5]]);
    const queued = await listJobs({ accountId: principal.accountId, limit: 9, models: chosen, status: "queued" });
    expect(queued.jobs.map((job) => job.id)).toEqual(expected.filter((id) => id !== ids[5]));
  });
});

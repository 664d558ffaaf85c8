import { expect, test, type APIRequestContext } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { formatUsdNumber } from "../lib/money";
import { STATE_FILE } from "./global-setup";
import { SignUpPage } from "./pages/auth-pages";
import { DashboardHeader } from "./pages/dashboard";
import { GalleryPage, JobDetailPage } from "./pages/gallery";

// The gallery and the job page, driven by jobs submitted through the API as the seeded user (the
// browser's session cookie plus its own Origin, exactly as the composer calls the API).
type Job = { id: string; status: string; estimated_cost: number; charged_amount: number | null; released_amount: number | null };

/** The dashboard's way of showing an amount: "$0.946", "$1.00". */
const shown = formatUsdNumber;

async function submit(request: APIRequestContext, baseURL: string | undefined, body: Record<string, unknown>): Promise<Job> {
  const response = await request.post("/v1/images/generations", { headers: { origin: baseURL ?? "" }, data: body });
  expect(response.status(), await response.text()).toBe(202);
  return (await response.json()) as Job;
}

async function available(request: APIRequestContext): Promise<number> {
  return ((await (await request.get("/v1/balance")).json()) as { available: number }).available;
}

test.describe("signed in", () => {
  test.use({ storageState: STATE_FILE });

  test("a job submitted through the API appears in the gallery, and its page shows its cost and downloads its PNG", async ({ page, request, baseURL }) => {
    const prompt = `a lighthouse for the gallery test ${randomUUID()}`;
    const job = await submit(request, baseURL, { prompt, n: 1 });

    const gallery = new GalleryPage(page);
    await gallery.goto();
    await expect(gallery.item(job.id)).toBeVisible();
    // The grid polls while the job runs: the tile ends with its thumbnail.
    await expect(gallery.item(job.id)).toHaveAttribute("data-status", "succeeded");
    await expect(gallery.item(job.id).getByRole("img", { name: prompt })).toBeVisible();
    await expect(gallery.item(job.id)).toContainText(`${shown(job.estimated_cost)} charged`);

    await gallery.open(job.id);
    const detail = new JobDetailPage(page);
    await expect(detail.root().getByRole("heading", { level: 1 })).toHaveText(prompt);
    await expect(detail.status()).toHaveText("succeeded");
    await expect(detail.money("estimated")).toHaveAttribute("data-usd", String(job.estimated_cost));
    await expect(detail.money("charged")).toHaveAttribute("data-usd", String(job.estimated_cost));
    await expect(detail.money("released")).toHaveAttribute("data-usd", "0");
    await expect(page.getByTestId("job-provider")).toHaveText("local · first choice");
    await expect(page.getByTestId("reuse-prompt")).toHaveAttribute("href", `/compose?from=${job.id}`);

    await expect(detail.images()).toHaveCount(1);
    await expect(detail.images().getByRole("img", { name: prompt })).toBeVisible();
    const href = await detail.downloads().first().getAttribute("href");
    expect(href).toContain("download=1");
    const file = await request.get(href!);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/png");
    expect(file.headers()["content-disposition"]).toMatch(/^attachment;/);
    expect((await file.body()).subarray(1, 4).toString()).toBe("PNG");
  });

  test("a job that delivers fewer images than asked is charged only for those, and the rest is released", async ({ page, request, baseURL }) => {
    const job = await submit(request, baseURL, { prompt: `two asked, one delivered [[easel:images=1]] ${randomUUID()}`, n: 2 });
    const detail = new JobDetailPage(page);
    await detail.goto(job.id);
    await expect(detail.status()).toHaveText("succeeded");
    await expect(detail.images()).toHaveCount(1);
    await expect(detail.money("estimated")).toHaveAttribute("data-usd", String(job.estimated_cost));
    await expect(detail.money("charged")).toHaveAttribute("data-usd", String(job.estimated_cost / 2));
    await expect(detail.money("released")).toHaveAttribute("data-usd", String(job.estimated_cost / 2));
  });

  test("a running job can be canceled from its page: its whole hold is released and the header balance follows", async ({ page, request, baseURL }) => {
    const before = await available(request);
    const job = await submit(request, baseURL, { prompt: `a slow one [[easel:latency=15000]] ${randomUUID()}` });

    const detail = new JobDetailPage(page);
    await detail.goto(job.id);
    const header = new DashboardHeader(page);
    await header.expectBalance(shown(before - job.estimated_cost));
    await expect(page.getByTestId("money-held")).toContainText(`Held: ${shown(job.estimated_cost)}`);
    await expect(detail.money("charged")).toHaveCount(0);

    await detail.cancel();
    await expect(detail.status()).toHaveText("canceled");
    await expect(detail.money("charged")).toHaveAttribute("data-usd", "0");
    await expect(detail.money("released")).toHaveAttribute("data-usd", String(job.estimated_cost));
    await expect(page.getByTestId("cancel-job")).toHaveCount(0);
    await header.expectBalance(shown(before));

    const after = await request.get(`/v1/jobs/${job.id}`);
    expect(await after.json()).toMatchObject({ status: "canceled", charged_amount: 0, released_amount: job.estimated_cost });
  });

  test("canceling a job that ended meanwhile says so and shows how it ended", async ({ page, request, baseURL }) => {
    const job = await submit(request, baseURL, { prompt: `canceled in another tab [[easel:latency=15000]] ${randomUUID()}` });
    const detail = new JobDetailPage(page);
    await detail.goto(job.id);
    await expect(page.getByTestId("cancel-job")).toBeVisible();

    // Hold this page's polls back, so it still shows the job running when another client cancels it.
    const jobUrl = `**/v1/jobs/${job.id}`;
    await page.route(jobUrl, (route) => route.abort());
    expect((await request.post(`/v1/jobs/${job.id}/cancel`, { headers: { origin: baseURL ?? "" } })).status()).toBe(200);
    await detail.cancel();
    await expect(page.getByText("The job finished before it could be canceled.")).toBeVisible();
    await page.unroute(jobUrl);

    await expect(detail.status()).toHaveText("canceled");
    await expect(detail.money("released")).toHaveAttribute("data-usd", String(job.estimated_cost));
  });

  test("filtering by status narrows the grid, lives in the URL, and an empty filter offers to clear it", async ({ page, request, baseURL }) => {
    const tag = randomUUID();
    const ok = await submit(request, baseURL, { prompt: `a harbour at noon ${tag}` });
    const before = await available(request);
    const failing = await submit(request, baseURL, { prompt: `a harbour that fails [[easel:fail, latency=2500]] ${tag}` });

    const gallery = new GalleryPage(page);
    await gallery.goto();
    const header = new DashboardHeader(page);
    // The failure releases the hold; the gallery notices the job end and refreshes the balance.
    await expect(gallery.item(failing.id)).toHaveAttribute("data-status", "failed");
    await expect(gallery.item(failing.id)).toContainText("The local renderer was told to fail this job.");
    await header.expectBalance(shown(before));
    await expect(gallery.item(ok.id)).toHaveAttribute("data-status", "succeeded");

    await gallery.filterBy("status", "failed");
    await expect(gallery.item(failing.id)).toBeVisible();
    await expect(gallery.item(ok.id)).toHaveCount(0);
    for (const status of await gallery.items().evaluateAll((items) => items.map((item) => item.getAttribute("data-status")))) {
      expect(status).toBe("failed");
    }

    await gallery.filterBy("status", "succeeded");
    await expect(gallery.item(ok.id)).toBeVisible();
    await expect(gallery.item(failing.id)).toHaveCount(0);

    // The filtered view is a link: loading it again keeps the filter and the result.
    await page.reload();
    await expect(gallery.filter("status")).toHaveValue("succeeded");
    await expect(gallery.item(failing.id)).toHaveCount(0);
    await expect(gallery.item(ok.id)).toBeVisible();

    await gallery.filterBy("status", "expired");
    await expect(gallery.empty()).toHaveAttribute("data-filtered", "true");
    await expect(gallery.empty()).toContainText("No jobs match these filters");
    await gallery.empty().getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/gallery$/);
    await expect(gallery.item(ok.id)).toBeVisible();
    await expect(gallery.item(failing.id)).toBeVisible();
  });

  test("a job id that is not on this account is a 404 page that leads back to the gallery", async ({ page }) => {
    const detail = new JobDetailPage(page);
    const response = await detail.goto("job_00000000000000000000000000");
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("job-not-found")).toBeVisible();
    expect((await detail.goto("not-a-job-id"))?.status()).toBe(404);
    await page.getByRole("link", { name: "Back to the gallery" }).click();
    await page.waitForURL("**/gallery");
  });
});

test("a new user's empty gallery says to go to Compose", async ({ page }) => {
  const signUp = new SignUpPage(page);
  await signUp.goto("/gallery");
  await signUp.signUp({ email: `empty-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/gallery");
  const gallery = new GalleryPage(page);
  await expect(gallery.empty()).toContainText("No jobs yet — go to Compose");
  await expect(gallery.empty()).not.toHaveAttribute("data-filtered", "true");
  await expect(gallery.grid()).toHaveCount(0);
  await gallery.empty().getByRole("link", { name: "Go to Compose" }).click();
  await page.waitForURL("**/compose");
});

import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { SignUpPage } from "./pages/auth-pages";
import { ComposePage } from "./pages/compose";
import { DashboardHeader } from "./pages/dashboard";

/** A fresh account with the signup credit, signed in, on the composer. */
async function newUser(page: Page) {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp({ email: `composer-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/compose");
  return { compose: new ComposePage(page), header: new DashboardHeader(page) };
}

/** The header's available balance in micro-dollars ("$0.946" → 946000). */
async function available(header: DashboardHeader): Promise<number> {
  const text = (await header.balance().textContent()) ?? "";
  return Math.round(Number(text.replace(/[^0-9.]/g, "")) * 1_000_000);
}

test("Cheap: the preview follows n and matches the API's estimate; the image arrives and the charge is exact", async ({ page }) => {
  const { compose, header } = await newUser(page);
  await header.expectBalance("$1.00");
  await compose.tier("cheap");
  await compose.model("minimax-image-01");
  await compose.prompt("a tiny lighthouse, morning fog");

  await compose.images(1);
  const one = await compose.estimate();
  await compose.images(4);
  const four = await compose.estimate();
  expect(one).toBe("0.005");
  expect(four).toBe("0.02");
  const api = await page.request.post("/v1/pricing/estimate", {
    data: { model: "minimax-image-01", prompt: "a tiny lighthouse, morning fog", n: 4, size: "1:1" },
  });
  expect((await api.json()).estimated_cost).toBe(Number(four));

  await compose.submit();
  const job = compose.newestJob();
  await expect(job).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect(job.getByTestId("recent-job-image")).toBeVisible();
  await expect(job.getByTestId("recent-job-money")).toHaveText("$0.02 charged");
  await header.expectBalance("$0.98"); // exactly the charge, no more

  const jobId = (await job.getAttribute("data-job-id"))!;
  await header.open("Gallery");
  await expect(page.locator(`[data-testid="gallery-item"][data-job-id="${jobId}"]`)).toBeVisible();
  await page.locator(`[data-testid="gallery-item"][data-job-id="${jobId}"]`).click();
  await expect(page.getByTestId("money-estimated")).toHaveAttribute("data-usd", "0.02");
  await expect(page.getByTestId("money-charged")).toHaveAttribute("data-usd", "0.02");
});

test("flux-kontext-pro cannot be submitted without a reference; with an uploaded one it runs", async ({ page }) => {
  const { compose } = await newUser(page);
  await compose.model("flux-kontext-pro");
  await compose.prompt("make the sky stormy");
  await expect(compose.submitButton()).toBeDisabled();
  await expect(compose.blocker()).toContainText("reference image");

  const reference = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#c0392b" } }).png().toBuffer();
  await compose.upload({ name: "red.png", mimeType: "image/png", buffer: reference });
  await expect(compose.submitButton()).toBeEnabled();
  await compose.submit();
  await expect(compose.newestJob()).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
});

test("a job forced to fail says its hold was released, and the balance comes back", async ({ page }) => {
  const { compose, header } = await newUser(page);
  const before = await available(header);
  await compose.prompt("this one fails [[easel:fail]]");
  await compose.submit();
  const job = compose.newestJob();
  await expect(job).toHaveAttribute("data-status", "failed", { timeout: 20_000 });
  await expect(job.getByTestId("recent-job-money")).toHaveText("$0.054 released");
  await expect.poll(() => available(header)).toBe(before);
});

test("'Use this prompt again' opens the composer with everything filled in", async ({ page }) => {
  const { compose } = await newUser(page);
  await compose.tier("quality");
  await compose.model("gpt-image-2");
  await compose.prompt("a poster that reads 'EASEL'");
  await page.getByTestId("option-quality").selectOption("high");
  await compose.images(2);
  await compose.submit();
  const job = compose.newestJob();
  await expect(job).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });

  await job.click();
  await page.getByTestId("reuse-prompt").click();
  await page.waitForURL(/\/compose\?from=job_/);
  await expect(compose.prompted()).toHaveValue("a poster that reads 'EASEL'");
  await expect(page.locator('[data-testid="model-card"][data-model="gpt-image-2"]')).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("option-quality")).toHaveValue("high");
  await expect(page.getByTestId("option-n")).toHaveValue("2");
  expect(await compose.estimate()).toBe("0.594");
});

test("the price shows from the first moment, before any prompt, and follows every option", async ({ page }) => {
  const { compose } = await newUser(page);
  await expect(compose.prompted()).toHaveValue("");
  expect(await compose.estimate()).toBe("0.054");
  await expect(page.getByTestId("cost-preview")).toContainText("$0.054");
  await expect(compose.submitButton()).toBeDisabled();
  await expect(compose.blocker()).toHaveText("Write a prompt to start.");

  await compose.images(3);
  expect(await compose.estimate()).toBe("0.162");
  await compose.tier("quality");
  await compose.model("gpt-image-2");
  await page.getByTestId("option-quality").selectOption("high");
  expect(await compose.estimate()).toBe("0.891");
  await compose.model("flux-2-pro");
  await expect(page.getByTestId("cost-preview")).toContainText("$0.1215");
  expect(await compose.estimate()).toBe("0.1215");
  await expect(compose.submitButton()).toBeDisabled();
});

import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { SignUpPage } from "./pages/auth-pages";
import { tabTo } from "./pages/keyboard";

// The whole path with the keyboard alone — sign in, compose, submit, open the job, copy an
// image's URL — through page.keyboard only: no clicks, no fills.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("signs in, composes, submits, opens the job and copies an image URL with the keyboard alone", async ({ page, browser, baseURL }) => {
  // The account is made elsewhere (its own browser context); this page starts signed out.
  const user = { email: `keyboard-${randomUUID()}@example.test`, password: "a long enough password" };
  const setup = await browser.newContext({ baseURL });
  const setupPage = await setup.newPage();
  await new SignUpPage(setupPage).goto();
  await new SignUpPage(setupPage).signUp(user);
  await setupPage.waitForURL("**/compose");
  await setup.close();

  await page.goto("/sign-in");
  await tabTo(page, '[data-testid="sign-in-form"] input[name="email"]');
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(user.password);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/compose");

  const prompt = `a keyboard-only lighthouse ${randomUUID()}`;
  await tabTo(page, '[data-testid="prompt"]');
  await page.keyboard.type(prompt);
  await tabTo(page, '[data-testid="submit"]');
  await page.keyboard.press("Enter");

  const job = page.getByTestId("recent-job").first();
  await expect(job).toContainText(prompt);
  await expect(job).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  const jobId = await job.getAttribute("data-job-id");
  await tabTo(page, `[data-testid="recent-job"][data-job-id="${jobId}"] a`);
  await page.keyboard.press("Enter");
  await page.waitForURL(`**/gallery/${jobId}`);

  await tabTo(page, '[data-testid="copy-image-url"]');
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("copy-image-url")).toHaveAccessibleName("Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await page.getByTestId("job-image").first().getByRole("img").getAttribute("src");
  expect(copied).toBe(shown);
  expect(copied).toMatch(/\/v1\/files\/file_[0-9a-z]{26}\?.*sig=/);
  const image = await page.request.get(copied);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/png");
});

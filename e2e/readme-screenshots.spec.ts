import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { SignUpPage } from "./pages/auth-pages";
import { KeysPage } from "./pages/dashboard";

// Not a test of the product but the tool that draws the README's screenshots from the built app:
// README_SCREENSHOTS=1 LOCAL_RENDERER_LATENCY_MS=12000 E2E_PORT=3000 \
//   npx playwright test -c e2e/playwright.config.ts readme-screenshots
// It writes public/readme/*.png, then fails only if a page on the way did not render. (A slower
// local renderer gives the models a typical duration worth drawing a progress bar against.)
test.skip(!process.env.README_SCREENSHOTS, "draws the README screenshots only when README_SCREENSHOTS=1");
test.use({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
test.setTimeout(180_000);

const OUT = path.join(__dirname, "..", "public", "readme");
const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true, animations: "disabled" });

async function submit(request: APIRequestContext, baseURL: string, body: Record<string, unknown>): Promise<string> {
  const response = await request.post("/v1/images/generations", { headers: { origin: baseURL }, data: body });
  expect(response.status(), await response.text()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function settled(request: APIRequestContext, id: string) {
  await expect.poll(async () => ((await (await request.get(`/v1/jobs/${id}`)).json()) as { status: string }).status, { timeout: 60_000 }).toBe("succeeded");
}

test("draws the README screenshots", async ({ page, browser, baseURL }) => {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp({ email: `ada-${randomUUID().slice(0, 8)}@example.test`, password: "a long enough password", name: "Ada" });
  await page.waitForURL("**/compose");
  const request = page.request;

  await page.goto("/billing");
  await page.getByTestId("topup-amount").fill("25");
  await page.getByTestId("test-credit-button").click();
  await expect(page.getByTestId("header-balance-amount")).toHaveText("$26.00");

  const done: string[] = [];
  for (const body of [
    { prompt: "a lighthouse at dawn, soft watercolor" },
    { model: "gpt-image-2", prompt: "a poster that reads 'EASEL' in bold letters", quality: "medium" },
    { model: "flux-2-pro", prompt: "a greenhouse full of ferns, morning light", size: "1920x1088" },
    { model: "minimax-image-01", prompt: "a tiny robot watering a bonsai", n: 2 },
    { model: "recraft-v4-vector", prompt: "a flat vector fox, three colours" },
  ]) {
    done.push(await submit(request, baseURL!, body));
  }
  for (const id of done) await settled(request, id);
  await expect
    .poll(async () => {
      const models = (await (await request.get("/v1/models")).json()) as { data: Array<{ id: string; typical_duration_ms: number | null }> };
      return models.data.find((m) => m.id === "recraft-v4")!.typical_duration_ms;
    }, { timeout: 45_000, intervals: [2_000] })
    .not.toBeNull();
  // One still running, to show its progress against the model's typical duration.
  const running = await submit(request, baseURL!, { prompt: "a harbour at night, long exposure [[easel:latency=90000]]" });

  try {
    await page.goto("/compose");
    await page.getByTestId("prompt").fill("a cinematic hourglass on a wooden desk, golden hour");
    await page.getByTestId("option-n").selectOption("2");
    await expect(page.locator(`[data-testid="recent-job"][data-job-id="${running}"] [data-testid="job-progress-text"]`)).toHaveText(/\d+ s/);
    await page.waitForTimeout(4_000);
    await shoot(page, "composer");

    await page.emulateMedia({ colorScheme: "dark" });
    await shoot(page, "composer-dark");
    await page.emulateMedia({ colorScheme: "light" });

    await page.goto("/gallery");
    await expect(page.getByTestId("gallery-item")).toHaveCount(6);
    await page.waitForLoadState("networkidle").catch(() => {});
    await shoot(page, "gallery");

    await page.goto(`/gallery/${done[0]}`);
    await expect(page.getByTestId("job-image").getByRole("img")).toBeVisible();
    await shoot(page, "job-detail");

    await page.goto("/billing");
    await expect(page.getByTestId("spend-chart")).toBeVisible();
    await page.waitForTimeout(1_500);
    await shoot(page, "billing");

    // Two keys, one with a monthly limit and a job of its own, so that its spend bar shows.
    const keys = new KeysPage(page);
    await keys.goto();
    const production = await keys.createWithLimit("production", "20", "month");
    await keys.create("notebook");
    const viaKey = await request.post("/v1/images/generations", {
      headers: { authorization: `Bearer ${production}` },
      data: { model: "gpt-image-2", prompt: "a product shot of a ceramic mug", quality: "high", n: 4 },
    });
    expect(viaKey.status(), await viaKey.text()).toBe(202);
    await settled(request, ((await viaKey.json()) as { id: string }).id);
    await page.reload();
    await expect(keys.spendBar("production")).not.toHaveAttribute("aria-valuenow", "0");
    await shoot(page, "keys");

    const visitor = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
    const landing = await visitor.newPage();
    await landing.goto("/");
    await shoot(landing, "landing");
    await visitor.close();
  } finally {
    await request.post(`/v1/jobs/${running}/cancel`, { headers: { origin: baseURL! } });
  }
});

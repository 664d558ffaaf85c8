import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { STATE_FILE } from "./global-setup";
import { expectAccessible, tabThrough } from "./pages/a11y";

// Every page through axe (WCAG 2.1 A and AA, colour contrast included) and the keyboard, in the
// light and the dark colour scheme: no serious or critical violation, and focus visible on every
// control a Tab reaches. A page is added here by one line.
type Check = {
  name: string;
  /** The path, or how to get one (a job of the seeded user's). */
  path: string | ((request: APIRequestContext, baseURL: string) => Promise<string>);
  signedIn: boolean;
  /** What to wait for before checking: the page in the state worth checking. */
  ready?: (page: Page) => Promise<void>;
};

async function submitJob(request: APIRequestContext, baseURL: string, prompt: string): Promise<string> {
  const response = await request.post("/v1/images/generations", { headers: { origin: baseURL }, data: { prompt } });
  expect(response.status(), await response.text()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const PAGES: Check[] = [
  { name: "home", path: "/", signedIn: false },
  { name: "sign-in", path: "/sign-in", signedIn: false },
  { name: "sign-up", path: "/sign-up", signedIn: false },
  { name: "compose", path: "/compose", signedIn: true },
  { name: "gallery", path: "/gallery", signedIn: true },
  {
    name: "job detail (done)",
    path: async (request, baseURL) => `/gallery/${await submitJob(request, baseURL, `an accessible harbour ${randomUUID()}`)}`,
    signedIn: true,
    ready: (page) => expect(page.getByTestId("job-detail")).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 }),
  },
  {
    name: "job detail (running)",
    path: async (request, baseURL) => `/gallery/${await submitJob(request, baseURL, `a slow accessible harbour [[easel:latency=20000]] ${randomUUID()}`)}`,
    signedIn: true,
    ready: (page) => expect(page.getByTestId("job-detail")).toHaveAttribute("data-status", "processing", { timeout: 20_000 }),
  },
  {
    name: "job detail (cancel dialog)",
    path: async (request, baseURL) => `/gallery/${await submitJob(request, baseURL, `a slow harbour to cancel [[easel:latency=20000]] ${randomUUID()}`)}`,
    signedIn: true,
    ready: async (page) => {
      await page.getByTestId("cancel-job").click();
      await expect(page.getByTestId("confirm-cancel")).toBeVisible();
    },
  },
  { name: "billing", path: "/billing", signedIn: true },
  { name: "keys", path: "/keys", signedIn: true },
  {
    name: "keys (new key dialog)",
    path: "/keys",
    signedIn: true,
    ready: async (page) => {
      await page.getByTestId("new-key-form").getByLabel("New key name").fill(`a11y ${randomUUID().slice(0, 8)}`);
      await page.getByTestId("create-key").click();
      await expect(page.getByTestId("new-key-secret")).toBeVisible();
    },
  },
  { name: "docs", path: "/docs", signedIn: false },
  { name: "webhooks", path: "/webhooks", signedIn: true },
];

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });
    for (const check of PAGES) {
      test.describe(check.name, () => {
        if (check.signedIn) test.use({ storageState: STATE_FILE });
        test(`${check.name} has no serious or critical axe violations and shows focus on every control (${colorScheme})`, async ({ page, request, baseURL }) => {
          const path = typeof check.path === "string" ? check.path : await check.path(request, baseURL!);
          const response = await page.goto(path);
          expect(response?.ok(), `${path} answered ${response?.status()}`).toBe(true);
          if (check.signedIn) await expect(page).not.toHaveURL(/\/sign-in/);
          if (check.ready) await check.ready(page);
          await expectAccessible(page);
        });
      });
    }
  });
}

test("the focus check notices a control whose focus cannot be seen", async ({ page }) => {
  await page.setContent(`
    <a href="#a">default ring</a>
    <button style="outline: none">no focus style</button>
    <input aria-label="ring" class="r" /><style>.r:focus { outline: none; box-shadow: 0 0 0 2px blue; }</style>`);
  const stops = await tabThrough(page);
  expect(stops.map((stop) => stop.visible)).toEqual([true, false, true]);
});

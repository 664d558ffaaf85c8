import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { SignUpPage } from "./pages/auth-pages";
import { BillingPage } from "./pages/billing";

async function newUser(page: Page) {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp({ email: `billing-${randomUUID()}@example.test`, password: "a long enough password" });
  await page.waitForURL("**/compose");
}

/** Submits through the API with the session, as the composer does. */
async function submit(page: Page, body: Record<string, unknown>): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/v1/images/generations", { data: body, headers: { origin } });
  expect(response.status()).toBe(202);
  return (await response.json()).id;
}

test("a running job's hold shows on the billing page, then becomes a charge and a release", async ({ page }) => {
  await newUser(page);
  // Two images asked, one delivered: half the hold is charged and half released.
  const jobId = await submit(page, { prompt: "slow and short [[easel:latency=5000, images=1]]", n: 2 });
  const billing = new BillingPage(page);
  await billing.goto();

  await expect(billing.holdRow(jobId)).toContainText("$0.108 held");
  await billing.expectFigure("held", 0.108);
  await expect(billing.ledgerRow("hold", jobId)).toBeVisible();

  await expect(page.getByTestId("holds-empty")).toBeVisible({ timeout: 20_000 });
  await expect(billing.ledgerRow("charge", jobId)).toContainText("−$0.054");
  await expect(billing.ledgerRow("release", jobId)).toContainText("$0.054");
  await billing.expectFigure("held", 0);
  await billing.expectFigure("balance", 0.946);
});

test("the CSV export holds exactly the ledger rows on screen, with the filter applied", async ({ page }) => {
  await newUser(page);
  const jobs = [await submit(page, { prompt: "one", model: "minimax-image-01" }), await submit(page, { prompt: "two", model: "minimax-image-01" })];
  for (const id of jobs) {
    await expect.poll(async () => (await (await page.request.get(`/v1/jobs/${id}`)).json()).status, { timeout: 20_000 }).toBe("succeeded");
  }
  const billing = new BillingPage(page);
  await billing.goto();
  await expect(page.getByTestId("ledger-row")).toHaveCount(5); // signup credit, two holds, two charges

  const csvIds = async () => (await billing.exportCsv()).map((line) => line.split(",")[0]);
  expect(await csvIds()).toEqual(await billing.ledgerIds());

  await billing.filterType("hold");
  await expect(page.getByTestId("ledger-row").first()).toHaveAttribute("data-type", "hold");
  const onScreen = await billing.ledgerIds();
  expect(onScreen.length).toBeGreaterThanOrEqual(2);
  expect(await csvIds()).toEqual(onScreen);
});

test("test credit moves the balance and the chart, never the tier", async ({ page }) => {
  await newUser(page);
  const billing = new BillingPage(page);
  await billing.goto();
  await expect(billing.chart()).toHaveAttribute("data-balance-end", "1");
  await billing.expectFigure("balance", 1);

  await billing.addTestCredit("10");
  await billing.expectFigure("balance", 11);
  await expect(billing.chart()).toHaveAttribute("data-balance-end", "11");
  // Not a deposit: $10 of real top-ups would be Tier 1.
  await expect(page.getByTestId("tier-card")).toContainText("Tier 0");
  await expect(page.getByTestId("header-balance-amount")).toHaveText("$11.00");
});

import { expect, type Page } from "@playwright/test";

/** The billing page at /billing. */
export class BillingPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/billing");
  }

  /** A figure of the summary as the API's number: balance, held or available. */
  async figure(id: "balance" | "held" | "available"): Promise<number> {
    return Number(await this.page.getByTestId(`billing-${id}`).getAttribute("data-usd"));
  }

  holdRow(jobId: string) {
    return this.page.locator(`[data-testid="hold-row"][data-job-id="${jobId}"]`);
  }

  ledgerRow(type: string, jobId: string) {
    return this.page.locator(`[data-testid="ledger-row"][data-type="${type}"][data-job-id="${jobId}"]`);
  }

  /** The ids of the ledger rows on screen, top to bottom. */
  async ledgerIds(): Promise<string[]> {
    return this.page.getByTestId("ledger-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-entry-id") ?? ""));
  }

  async filterType(type: string) {
    await this.page.getByTestId("ledger-filter-type").selectOption(type);
  }

  /** Downloads the CSV export and returns its lines after the header. */
  async exportCsv(): Promise<string[]> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.page.getByTestId("ledger-export").click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").trimEnd().split("\n").slice(1);
  }

  async addTestCredit(amountUsd: string) {
    await this.page.getByTestId("topup-amount").fill(amountUsd);
    await this.page.getByTestId("test-credit-button").click();
  }

  chart() {
    return this.page.getByTestId("spend-chart");
  }

  async expectFigure(id: "balance" | "held" | "available", value: number) {
    await expect(this.page.getByTestId(`billing-${id}`)).toHaveAttribute("data-usd", String(value));
  }
}

import { expect, type Page } from "@playwright/test";

/** The signed-in header: navigation, available balance, sign out. */
export class DashboardHeader {
  constructor(private readonly page: Page) {}

  balance() {
    return this.page.getByTestId("header-balance-amount");
  }

  async expectBalance(text: string) {
    await expect(this.balance()).toHaveText(text);
  }

  async open(section: "Compose" | "Gallery" | "Billing" | "API keys" | "Webhooks" | "API docs") {
    await this.page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: section }).click();
  }
}

export class KeysPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/keys");
  }

  /** Creates a key and returns its secret, read from the one-time dialog. */
  async create(name: string): Promise<string> {
    await this.page.getByTestId("new-key-form").getByLabel("New key name").fill(name);
    await this.page.getByTestId("create-key").click();
    const secret = (await this.page.getByTestId("new-key-secret").textContent())?.trim() ?? "";
    await this.page.getByTestId("close-new-key").click();
    return secret;
  }

  /** Creates a key with a spend limit (USD) per period, and returns its secret. */
  async createWithLimit(name: string, limitUsd: string, period: "day" | "month" | "total"): Promise<string> {
    const form = this.page.getByTestId("new-key-form");
    await form.getByLabel("New key name").fill(name);
    await form.getByTestId("key-limit").fill(limitUsd);
    await form.getByTestId("key-period").selectOption(period);
    return this.create(name);
  }

  /** The key's spend bar: its percentage of the limit. */
  spendBar(name: string) {
    return this.row(name).getByRole("progressbar", { name: "Spent of the key's limit" });
  }

  row(name: string) {
    return this.page.locator(`[data-testid="key-row"][data-key-name="${name}"]`);
  }

  async revoke(name: string) {
    await this.row(name).getByTestId("revoke-key").click();
    await this.page.getByTestId("confirm-revoke").click();
    await expect(this.row(name)).toHaveCount(0);
  }
}

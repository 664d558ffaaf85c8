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

  row(name: string) {
    return this.page.locator(`[data-testid="key-row"][data-key-name="${name}"]`);
  }

  async revoke(name: string) {
    await this.row(name).getByTestId("revoke-key").click();
    await this.page.getByTestId("confirm-revoke").click();
    await expect(this.row(name)).toHaveCount(0);
  }
}

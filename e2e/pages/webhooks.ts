import { expect, type Page } from "@playwright/test";

/** The Webhooks page: endpoints, their secrets (shown once), and the delivery log. */
export class WebhooksPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/webhooks");
  }

  /** Adds an endpoint and returns its signing secret, read from the one-time dialog. */
  async addEndpoint(url: string, description = ""): Promise<string> {
    const form = this.page.getByTestId("new-endpoint-form");
    await form.getByLabel("Endpoint URL").fill(url);
    if (description) await form.getByLabel("Description").fill(description);
    await this.page.getByTestId("create-endpoint").click();
    const secret = (await this.page.getByTestId("new-endpoint-secret").textContent())?.trim() ?? "";
    await this.page.getByTestId("close-endpoint-secret").click();
    return secret;
  }

  /** Rotates the endpoint's secret and returns the new one, read from the one-time dialog. */
  async rotateSecret(url: string): Promise<string> {
    await this.endpoint(url).getByTestId("rotate-secret").click();
    const secret = (await this.page.getByTestId("new-endpoint-secret").textContent())?.trim() ?? "";
    await this.page.getByTestId("close-endpoint-secret").click();
    return secret;
  }

  endpoint(url: string) {
    return this.page.getByTestId("endpoint-row").filter({ hasText: url });
  }

  deliveries(eventType: string) {
    return this.page.locator(`[data-testid="delivery-row"][data-event-type="${eventType}"]`);
  }

  async expectDelivered(eventType: string, attempts: number) {
    const row = this.deliveries(eventType).first();
    await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
    await expect(row.getByTestId("delivery-attempt-count")).toHaveText(`${attempts} attempt${attempts === 1 ? "" : "s"}`, { timeout: 20_000 });
    return row;
  }

  async redeliver(eventType: string) {
    await this.deliveries(eventType).first().getByTestId("redeliver").click();
  }

  async attempts(eventType: string) {
    const row = this.deliveries(eventType).first();
    await row.locator("summary").click();
    return row.getByTestId("delivery-attempt");
  }
}

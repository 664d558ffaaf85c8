import { expect, type Page } from "@playwright/test";

/** The composer at /compose. */
export class ComposePage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/compose");
  }

  async tier(tier: "quality" | "fast" | "cheap") {
    await this.page.getByTestId(`tier-${tier}`).click();
  }

  async model(id: string) {
    await this.page.locator(`[data-testid="model-card"][data-model="${id}"]`).click();
  }

  async prompt(text: string) {
    await this.page.getByTestId("prompt").fill(text);
  }

  prompted() {
    return this.page.getByTestId("prompt");
  }

  async images(n: number) {
    await this.page.getByTestId("option-n").selectOption(String(n));
  }

  /** The previewed total as the exact decimal the page computed ("0.216"). */
  async estimate(): Promise<string> {
    const preview = this.page.getByTestId("cost-preview");
    await expect(preview).toHaveAttribute("data-estimate-usd", /\d/);
    return (await preview.getAttribute("data-estimate-usd"))!;
  }

  submitButton() {
    return this.page.getByTestId("submit");
  }

  async submit() {
    await this.submitButton().click();
  }

  blocker() {
    return this.page.getByTestId("submit-blocker");
  }

  async upload(file: { name: string; mimeType: string; buffer: Buffer }) {
    await this.page.getByTestId("reference-upload").setInputFiles(file);
    await expect(this.page.getByTestId("reference")).toHaveCount(1);
  }

  /** The newest job in the Recent strip. */
  newestJob() {
    return this.page.getByTestId("recent-job").first();
  }
}

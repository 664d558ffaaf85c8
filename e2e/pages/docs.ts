import { expect, type Page } from "@playwright/test";

/** The public API reference at /docs. */
export class DocsPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/docs");
  }

  endpoint(path: string, method: "GET" | "POST") {
    return this.page.getByTestId("docs-endpoint").filter({ has: this.page.getByTestId("docs-endpoint-path").getByText(path, { exact: true }) }).filter({ hasText: method.toLowerCase() });
  }

  curl(path: string, method: "GET" | "POST") {
    return this.endpoint(path, method).getByTestId("docs-curl");
  }

  errors(path: string, method: "GET" | "POST") {
    return this.endpoint(path, method).getByTestId("docs-errors");
  }

  async expectEndpointCount(count: number) {
    await expect(this.page.getByTestId("docs-endpoint")).toHaveCount(count);
  }
}

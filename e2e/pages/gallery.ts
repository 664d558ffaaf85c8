import { expect, type Page } from "@playwright/test";

/** /gallery: the grid of jobs, its filters and its empty states. */
export class GalleryPage {
  constructor(private readonly page: Page) {}

  async goto(search = "") {
    await this.page.goto(`/gallery${search}`);
  }

  grid() {
    return this.page.getByTestId("gallery-grid");
  }

  items() {
    return this.page.getByTestId("gallery-item");
  }

  item(jobId: string) {
    return this.page.locator(`[data-testid="gallery-item"][data-job-id="${jobId}"]`);
  }

  empty() {
    return this.page.getByTestId("gallery-empty");
  }

  filter(name: "status" | "model" | "tier") {
    return this.page.getByTestId(`filter-${name}`);
  }

  /** Chooses a filter value and waits for the URL to carry it (the view is linkable). */
  async filterBy(name: "status" | "model" | "tier", value: string) {
    await this.filter(name).selectOption(value);
    await expect(this.page).toHaveURL(new RegExp(`[?&]${name}=${value}(&|$)`));
  }

  async open(jobId: string) {
    await this.item(jobId).getByRole("link").click();
    await this.page.waitForURL(`**/gallery/${jobId}`);
  }
}

/** /gallery/{id}: one job, its images, its money and its actions. */
export class JobDetailPage {
  constructor(private readonly page: Page) {}

  async goto(jobId: string) {
    return this.page.goto(`/gallery/${jobId}`);
  }

  root() {
    return this.page.getByTestId("job-detail");
  }

  status() {
    return this.root().getByTestId("job-status");
  }

  /** One of the money lines; its `data-usd` is the API's exact number. */
  money(line: "estimated" | "charged" | "released") {
    return this.page.getByTestId(`money-${line}`);
  }

  images() {
    return this.page.getByTestId("job-image");
  }

  downloads() {
    return this.page.getByTestId("job-download");
  }

  async cancel() {
    await this.page.getByTestId("cancel-job").click();
    await this.page.getByTestId("confirm-cancel").click();
  }
}

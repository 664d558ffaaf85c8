import { expect, test } from "@playwright/test";
import { STATE_FILE } from "./global-setup";
import { DashboardHeader } from "./pages/dashboard";
import { DocsPage } from "./pages/docs";

test("the API reference is public and shows every endpoint of the document, with errors and a curl line for this server", async ({ page, request, baseURL }) => {
  const document = (await (await request.get("/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.values(document.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);

  const docs = new DocsPage(page);
  await docs.goto();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  await docs.expectEndpointCount(operations);

  const generate = docs.endpoint("/v1/images/generations", "POST");
  await expect(generate.getByRole("cell", { name: "prompt", exact: false }).first()).toBeVisible();
  await expect(docs.errors("/v1/images/generations", "POST")).toContainText("insufficient_credits");
  await expect(docs.errors("/v1/images/generations", "POST")).toContainText("402");
  await expect(docs.curl("/v1/images/generations", "POST")).toContainText(`curl -X POST ${baseURL}/v1/images/generations`);
  await expect(docs.curl("/v1/images/generations", "POST")).toContainText("Authorization: Bearer $EASEL_API_KEY");
});

test("the home page links to the API reference", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "API docs" }).click();
  await expect(page).toHaveURL(/\/docs$/);
});

test.describe("signed in", () => {
  test.use({ storageState: STATE_FILE });

  test("the dashboard's navigation links to the API reference", async ({ page }) => {
    await page.goto("/compose");
    await new DashboardHeader(page).open("API docs");
    await expect(page).toHaveURL(/\/docs$/);
    await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  });
});

test("a path that is not valid percent-encoding answers in the API's error shape, not plain text", async ({ request }) => {
  for (const path of ["/v1/jobs/%ff", "/v1/jobs/%E0%A4%A/cancel", "/v1/models/%"]) {
    const response = await request.get(path, { headers: { authorization: "Bearer esk_x" } });
    expect(response.status(), path).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_path" } });
  }
});

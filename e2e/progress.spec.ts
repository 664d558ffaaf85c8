import { expect, test, type APIRequestContext } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { STATE_FILE } from "./global-setup";
import { GalleryPage } from "./pages/gallery";

// A running job shows how long it has run against how long its model usually takes (the median
// of its recent jobs, served with the catalogue), in the gallery and on its own page.
test.use({ storageState: STATE_FILE });

type Job = { id: string; status: string };
const MODEL = "imagen-4"; // no other spec uses it, so its history is this spec's own

async function submit(request: APIRequestContext, baseURL: string, prompt: string): Promise<Job> {
  const response = await request.post("/v1/images/generations", { headers: { origin: baseURL }, data: { model: MODEL, prompt } });
  expect(response.status(), await response.text()).toBe(202);
  return (await response.json()) as Job;
}

test("a running job shows elapsed time against its model's typical duration", async ({ page, request, baseURL }) => {
  const quick = await submit(request, baseURL!, `a quick one ${randomUUID()}`);
  await expect.poll(async () => ((await (await request.get(`/v1/jobs/${quick.id}`)).json()) as Job).status).toBe("succeeded");

  // The catalogue now has a typical duration for the model (once its brief cache has turned over).
  await expect
    .poll(
      async () => {
        const models = (await (await request.get("/v1/models")).json()) as { data: Array<{ id: string; typical_duration_ms: number | null }> };
        return models.data.find((m) => m.id === MODEL)!.typical_duration_ms;
      },
      { timeout: 45_000, intervals: [2_000] },
    )
    .not.toBeNull();

  const slow = await submit(request, baseURL!, `a slow one [[easel:latency=40000]] ${randomUUID()}`);
  try {
    const gallery = new GalleryPage(page);
    await gallery.goto();
    const tile = gallery.item(slow.id);
    await expect(tile).toHaveAttribute("data-status", "processing");
    await expect(tile.getByTestId("job-progress")).toHaveAttribute("data-typical-ms", /^\d+$/);

    await page.goto(`/gallery/${slow.id}`);
    const progress = page.getByTestId("job-detail").getByTestId("job-progress");
    const typicalSeconds = String(Math.max(1, Math.round(Number(await progress.getAttribute("data-typical-ms")) / 1000)));
    const bar = progress.getByRole("progressbar");
    await expect(bar).toHaveAttribute("aria-valuemax", typicalSeconds);
    // The clock runs: a few seconds in, the text says how long against how long it usually takes.
    await expect(progress.getByTestId("job-progress-text")).toHaveText(new RegExp(`^([3-9]|\\d{2,}) s (of about|· usually about) ${typicalSeconds} s$`), { timeout: 15_000 });
  } finally {
    await request.post(`/v1/jobs/${slow.id}/cancel`, { headers: { origin: baseURL! } });
  }
});

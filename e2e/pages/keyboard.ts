import { expect, type Page } from "@playwright/test";

/**
 * Presses Tab (page.keyboard only) until the focused element matches `selector`, as someone
 * without a mouse would; fails when it is not reached within `limit` presses.
 */
export async function tabTo(page: Page, selector: string, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  expect.soft(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))).toBe(`an element matching ${selector}`);
  throw new Error(`${selector} was not reached in ${limit} presses of Tab`);
}

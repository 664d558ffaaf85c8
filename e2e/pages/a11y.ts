import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The WCAG 2.1 A and AA rules: labels, names, roles, and AA colour contrast among them. */
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** One violation in a line a person can act on: the rule, its impact and where it fired. */
export type Finding = { rule: string; impact: string; help: string; targets: string[] };

/**
 * Runs axe over the page as it stands and returns the serious and critical violations (the
 * ones this suite refuses). Lesser ones are returned apart so a failing test can show them too.
 */
export async function axeFindings(page: Page): Promise<{ refused: Finding[]; minor: Finding[] }> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  const findings = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? "unknown",
    help: v.help,
    targets: v.nodes.slice(0, 8).map((node) => `${node.target.join(" ")}${node.failureSummary ? ` — ${node.failureSummary.split("\n").slice(1).join(" ").trim()}` : ""}`),
  }));
  return {
    refused: findings.filter((f) => f.impact === "serious" || f.impact === "critical"),
    minor: findings.filter((f) => f.impact !== "serious" && f.impact !== "critical"),
  };
}

/** What a focused element looks like: enough to tell whether focus can be seen. */
export type FocusStop = { element: string; visible: boolean; indicator: string };

/**
 * Tabs through the page from the top, up to `limit` stops, and describes each focused element:
 * whether it shows a focus indicator (an outline, a ring drawn with box-shadow, or a border that
 * changes colour on focus). Stops when focus comes back round to the start.
 */
export async function tabThrough(page: Page, limit = 80): Promise<FocusStop[]> {
  await page.locator("body").evaluate((body) => {
    (document.activeElement as HTMLElement | null)?.blur();
    body.focus();
  });
  const stops: FocusStop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const path: string[] = [];
      for (let node: Element | null = el; node && node !== document.body; node = node.parentElement) {
        const index = node.parentElement ? Array.from(node.parentElement.children).indexOf(node) : 0;
        path.unshift(`${node.tagName.toLowerCase()}:${index}`);
      }
      const focused = getComputedStyle(el);
      const outline = focused.outlineStyle !== "none" && parseFloat(focused.outlineWidth) > 0;
      const ring = focused.boxShadow !== "none" && focused.boxShadow !== "";
      // A focus style that only recolours the border counts when the colour really changes.
      el.blur();
      const unfocused = getComputedStyle(el);
      const border = unfocused.borderColor !== focused.borderColor ? focused.borderColor : null;
      const shadowBefore = unfocused.boxShadow;
      el.focus({ focusVisible: true } as FocusOptions);
      const label =
        el.getAttribute("data-testid") ??
        el.getAttribute("aria-label") ??
        (el.textContent ?? "").trim().slice(0, 40) ??
        el.tagName.toLowerCase();
      return {
        key: path.join("/"),
        element: `${el.tagName.toLowerCase()} "${label}"`,
        visible: outline || (ring && focused.boxShadow !== shadowBefore) || border !== null,
        indicator: outline ? `outline ${focused.outlineStyle} ${focused.outlineWidth}` : ring ? "ring" : border ? "border" : "none",
      };
    });
    if (!stop || seen.has(stop.key)) break;
    seen.add(stop.key);
    stops.push({ element: stop.element, visible: stop.visible, indicator: stop.indicator });
  }
  return stops;
}

/** Asserts the page has no serious or critical axe violations and every tab stop shows focus. */
export async function expectAccessible(page: Page) {
  const { refused, minor } = await axeFindings(page);
  expect(refused, `axe (minor findings, not refused: ${JSON.stringify(minor)})`).toEqual([]);
  const stops = await tabThrough(page);
  expect(stops.length, "the page has controls to reach by keyboard").toBeGreaterThan(0);
  expect(stops.filter((stop) => !stop.visible)).toEqual([]);
}

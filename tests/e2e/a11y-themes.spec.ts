import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wcagViolations } from "./helpers/axe";
import { baseUrl, launchBrowser } from "./helpers/browser";
import { poll } from "./helpers/poll";

/**
 * Every page in the light and the dark theme, at 1280x800 and 390x844: no WCAG A/AA violation from axe-core
 * (color-contrast included), and a full-page screenshot of each into test-results/screenshots/ (kept as CI
 * artifacts: <page>-<width>-<theme>.png). The dark theme follows prefers-color-scheme; the switch's choice is
 * rendered by the server (no flash of the other theme) and outlives a reload.
 */
const SHOTS = path.resolve("test-results/screenshots");
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const THEMES = ["light", "dark"] as const;

let browser: Browser;
let pages: [string, string][] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
  const pattern = await poll("a pattern", async () => {
    const res = await fetch(`${baseUrl()}/api/patterns`);
    return ((await res.json()) as { patterns: { id: string }[] }).patterns[0];
  });
  const user = await poll("an event with a user", async () => {
    const res = await fetch(`${baseUrl()}/api/events?realm=acme&range=7d&limit=50`);
    return ((await res.json()) as { events: { userId: string | null }[] }).events.find((e) => e.userId)
      ?.userId;
  });
  pages = [
    ["overview", "/?range=7d"],
    ["overview-hour", "/?range=1h"],
    ["events", "/events?range=24h"],
    ["events-admin", "/events?tab=admin&range=7d"],
    ["patterns", "/patterns"],
    ["pattern", `/patterns/${pattern.id}`],
    ["clients", "/clients?range=7d"],
    ["client", "/clients/acme/acme-orders-api?range=7d"],
    ["user", `/users/acme/${encodeURIComponent(user)}?range=7d`],
    ["sources", "/sources"],
    ["import", "/import"],
    ["diagnose", "/diagnose"],
    ["token", "/token"],
    ["fix", "/fixes/missing-role"],
    ["signin", "/signin"],
  ];
}, 360_000);

afterAll(async () => {
  await browser?.close();
});

async function open(url: string, size: (typeof SIZES)[number], theme: "light" | "dark"): Promise<Page> {
  const page = await browser.newPage({ viewport: size, colorScheme: theme });
  await page.goto(`${baseUrl()}${url}`, { waitUntil: "networkidle" });
  // The charts load after the page: wait for them to be drawn (or for their absence).
  await page
    .waitForFunction(() => !document.querySelector(".chart .empty, .histogram:empty"), undefined, {
      timeout: 10_000,
    })
    .catch(() => undefined);
  return page;
}

describe("every page in both themes", () => {
  it("has a page list from the demo data", () => {
    expect(pages.length).toBe(15);
  });

  for (const theme of THEMES) {
    for (const size of SIZES) {
      it(`passes axe-core and is photographed at ${size.width}px, ${theme}`, {
        timeout: 240_000,
      }, async () => {
        const problems: string[] = [];
        for (const [name, url] of pages) {
          const page = await open(url, size, theme);
          const background = await page.evaluate(
            () => getComputedStyle(document.documentElement).backgroundColor,
          );
          expect({ name, dark: background === "rgb(15, 20, 25)" }).toEqual({ name, dark: theme === "dark" });
          await page.screenshot({
            path: path.join(SHOTS, `${name}-${size.width}-${theme}.png`),
            fullPage: true,
          });
          for (const v of await wcagViolations(page)) problems.push(`${name}: ${v}`);
          await page.close();
        }
        expect(problems).toEqual([]);
      });
    }
  }
});

describe("the theme switch", () => {
  it("cycles system, light and dark, keeps the choice in a cookie, and the server paints it", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    await page.goto(`${baseUrl()}/patterns`, { waitUntil: "networkidle" });
    const theSwitch = page.getByTestId("theme-switch");
    expect(await theSwitch.textContent()).toBe("Theme: System");
    await theSwitch.click();
    expect(await theSwitch.textContent()).toBe("Theme: Light");
    await theSwitch.click();
    expect(await theSwitch.textContent()).toBe("Theme: Dark");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
      "rgb(15, 20, 25)",
    );
    // The server's answer already carries the choice: no light first paint before a script runs.
    const html = await (await page.request.get(`${baseUrl()}/patterns`)).text();
    expect(html).toMatch(/<html[^>]*data-theme="dark"/);
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByTestId("theme-switch").textContent()).toBe("Theme: Dark");
    await page.getByTestId("theme-switch").click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
      "rgb(247, 248, 250)",
    );
    await page.close();
  });
});

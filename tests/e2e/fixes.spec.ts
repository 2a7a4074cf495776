import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, screenshot } from "./helpers/browser";

/**
 * From each detected pattern to its guided fix page: the page opened through the pattern's fix link is the
 * page of the pattern's cause, filled in with the realm, client and user concerned, in the text and in the
 * commands.
 */
type Pattern = { id: string; realm: string; cause: string; clientId: string | null; userId: string | null };
let browser: Browser;
let patterns: Pattern[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  // Patterns appear once the poller has synced the demo and run detection (every few seconds in this app).
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${baseUrl()}/api/patterns?status=open&status=ongoing&status=resolved`);
    patterns = res.ok ? ((await res.json()) as { patterns: Pattern[] }).patterns : [];
    if (patterns.some((p) => p.clientId)) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
}, 150_000);

afterAll(async () => {
  await browser?.close();
});

describe("fix pages opened from patterns", () => {
  it("fill in the realm, client and user of each pattern (one per cause)", async () => {
    const oneEach = [...new Map(patterns.map((p) => [p.cause, p])).values()];
    expect(oneEach.length).toBeGreaterThan(2);
    for (const p of oneEach) {
      const page = await browser.newPage();
      await page.goto(`${baseUrl()}/patterns/${p.id}`);
      await page.getByTestId("pattern-fix").click();
      const fix = page.getByTestId("fix-page");
      await fix.waitFor();
      expect(await fix.getAttribute("data-cause")).toBe(p.cause);
      const context = (await page.getByTestId("fix-context").textContent()) ?? "";
      expect(context).toContain(p.realm);
      if (p.clientId) expect(context).toContain(p.clientId);
      if (p.userId) expect(context).toContain(p.userId);
      const commands = (await page.locator("pre").allTextContents()).join("\n");
      expect(commands).toContain(p.realm);
      await screenshot(page, `fix-from-pattern-${p.cause}`);
      await page.close();
    }
  });
});

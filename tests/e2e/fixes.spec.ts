import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, screenshot } from "./helpers/browser";

/**
 * From each detected pattern to its guided fix page: the page opened through the pattern's fix link is the
 * page of the pattern's cause, filled in with the realm, client and user concerned, in the text and in the
 * commands.
 */
type Pattern = {
  id: string;
  realm: string;
  cause: string;
  status: string;
  clientId: string | null;
  userId: string | null;
};
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

/** The placeholder each evidence value would fill (lib/fixes/fix-values.ts). */
const FILLED_BY: [keyof DiagnoseContext, string][] = [
  ["clientId", "<client-id>"],
  ["username", "<username>"],
  ["role", "<role>"],
  ["roleClientId", "<role-client-id>"],
  ["audience", "<api-client-id>"],
  ["scope", "<scope>"],
  ["origins", "<origin>"],
  ["redirectUris", "<redirect-uri>"],
  ["issuers", "<issuer>"],
];

interface DiagnoseContext {
  realm: string;
  clientId?: string;
  username?: string;
  role?: string;
  roleClientId?: string;
  audience?: string;
  scope?: string;
  origins?: string[];
  redirectUris?: string[];
  issuers?: string[];
}

describe("a fix page opened from a pattern uses the pattern's evidence", () => {
  it("shows the values the failures carried and keeps no placeholder the evidence fills", async () => {
    const withEvidence = patterns.filter((p) => p.status !== "resolved");
    expect(withEvidence.length).toBeGreaterThan(2);
    let checked = 0;
    for (const p of withEvidence) {
      // What the server reads from the pattern's failures: the same context the page is built from.
      const res = await fetch(`${baseUrl()}/api/diagnose`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ patternId: p.id }),
      });
      expect(res.status, p.id).toBe(200);
      const { context } = (await res.json()) as { context: DiagnoseContext };
      const page = await browser.newPage();
      await page.goto(`${baseUrl()}/patterns/${p.id}`);
      await page.getByTestId("pattern-fix").click();
      await page.getByTestId("fix-page").waitFor();
      const evidence = (await page.getByTestId("fix-evidence").textContent()) ?? "";
      const label = `${p.realm} ${p.cause} ${p.clientId ?? ""}`;
      for (const value of [context.role, context.audience, context.origins?.[0], context.redirectUris?.[0]]) {
        if (value) expect(evidence, label).toContain(value);
      }
      const commands = (await page.locator("pre").allTextContents()).join("\n");
      expect(commands, label).not.toContain("<realm>");
      for (const [field, placeholder] of FILLED_BY) {
        if (context[field] !== undefined)
          expect(commands, `${label}: ${placeholder}`).not.toContain(placeholder);
      }
      await screenshot(page, `fix-evidence-${p.cause}-${p.clientId ?? "realm"}`);
      await page.close();
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
  });

  it("copies a command block with its copy button", async () => {
    const p = patterns.find((x) => x.cause === "missing-role") ?? patterns[0]!;
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/patterns/${p.id}`);
    await page.getByTestId("pattern-fix").click();
    const block = page.getByTestId("fix-section-kcadm").locator("figure").first();
    await block.waitFor();
    const expected = (await block.locator("pre").textContent()) ?? "";
    expect(expected).toContain("kcadm.sh");
    await block.getByTestId("copy-command").click();
    await expect.poll(() => block.getByTestId("copy-command").textContent()).toBe("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await context.close();
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVIDENCE_CORPUS } from "@/testkit/evidence-corpus";
import { baseUrl, launchBrowser, screenshot } from "./helpers/browser";

/**
 * The Diagnose page in a real browser: a pasted mixed block (a wrapped event line, a curl -v transcript and an
 * access token) gives one cause with its evidence and a filled fix link, and the token never leaves the browser:
 * the page decodes it itself and sends only its claims.
 */
const mixed = EVIDENCE_CORPUS.find((c) => c.name.startsWith("a mixed block"));
if (mixed === undefined) throw new Error("the corpus has no mixed block");
const token = mixed.text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/)?.[0] ?? "";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the Diagnose page", () => {
  it("answers a pasted mixed block with one cause, its evidence and a filled fix link, never sending the token", async () => {
    expect(token.split(".")).toHaveLength(3);
    expect(mixed.text).toMatch(/curl|< HTTP\/|WWW-Authenticate/i);
    const page = await browser.newPage();
    const sent: string[] = [];
    page.on("request", (request) => {
      sent.push(`${request.url()}\n${request.postData() ?? ""}`);
    });
    await page.goto(`${baseUrl()}/diagnose`);
    await page.getByTestId("evidence-input").fill(mixed.text);
    await page.getByTestId("evidence-submit").click();
    const answer = page.getByTestId("evidence-answer");
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.getAttribute("data-cause")).toBe("missing-scope");
    expect((await page.getByTestId("evidence-evidence").textContent())?.trim().length).toBeGreaterThan(10);
    const fix = new URL((await page.getByTestId("evidence-fix").getAttribute("href")) ?? "", baseUrl());
    expect(fix.pathname).toBe("/fixes/missing-scope");
    expect(fix.searchParams.get("realm")).toBeTruthy();
    await screenshot(page, "diagnose-mixed");
    // What left the browser: the page's own requests, none carrying the token or either of its signed parts.
    const [, payload = "", signature = ""] = token.split(".");
    const posted = sent.filter((s) => s.includes("/api/diagnose/evidence"));
    expect(posted.length).toBe(1);
    for (const request of sent) {
      expect(request).not.toContain(token);
      expect(request).not.toContain(payload);
      if (signature.length > 8) expect(request).not.toContain(signature);
    }
    await page.close();
  }, 60_000);
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, screenshot } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the product as the README starts it", () => {
  it("reports healthy: database reachable and every migration applied", async () => {
    const res = await fetch(`${baseUrl()}/api/health`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      status: "ok",
      database: { reachable: true },
      migrations: { applied: true },
    });
  });

  it("serves the overview from the database", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl()}/`);
    await page.getByTestId("overview").waitFor();
    expect(Number(await page.getByTestId("event-count").textContent())).toBeGreaterThanOrEqual(0);
    await screenshot(page, "foundation-overview");
    await page.close();
  });
});

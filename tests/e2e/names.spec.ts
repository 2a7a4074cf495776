import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, screenshot } from "./helpers/browser";

/**
 * Names, not ids, in a real browser on the demo Keycloak's data: suspects, admin events, the Patterns page's
 * ranking, filters and sorts (all in the URL), and an API's page listing the failures it refused.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const AXE_SOURCE = readFileSync(
  path.join(path.dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js"),
  "utf8",
);

interface Suspect {
  resourcePath: string | null;
  resourceName: string | null;
  by: string | null;
}
interface Pattern {
  id: string;
  realm: string;
  cause: string;
  status: string;
  topSuspect: Suspect | null;
}

let browser: Browser;
let patterns: Pattern[] = [];

/** A pattern whose top suspect changed an object under `prefix` that realmwatch knows by name. */
function suspectOn(all: Pattern[], prefix: string): Pattern | undefined {
  return all.find((p) => {
    const s = p.topSuspect;
    const id = s?.resourcePath?.startsWith(prefix) ? s.resourcePath.split("/")[1] : undefined;
    return id !== undefined && s?.resourceName != null && !s.resourceName.includes(id);
  });
}

async function poll<T>(what: string, read: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 170_000;
  while (Date.now() < deadline) {
    const value = await read().catch(() => null);
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  throw new Error(`The demo data did not arrive: ${what}`);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // The poller syncs the demo, feeds its access logs and reports, and detects patterns every few seconds.
  patterns = await poll("patterns with suspects naming users and clients", async () => {
    const res = await fetch(`${baseUrl()}/api/patterns`);
    const all = ((await res.json()) as { patterns: Pattern[] }).patterns;
    return suspectOn(all, "users/") && suspectOn(all, "clients/") ? all : null;
  });
  await poll("refusals of acme-orders-api", async () => {
    const res = await fetch(`${baseUrl()}/api/clients/acme/acme-orders-api?range=7d`);
    return ((await res.json()) as { refusals: { total: number } }).refusals.total > 0 ? true : null;
  });
}, 360_000);

afterAll(async () => {
  await browser?.close();
});

async function open(url: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${baseUrl()}${url}`, { waitUntil: "networkidle" });
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => String(n.target)),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.targets.join(" | ")}`);
}

/** No more horizontal scrolling than the page had to begin with. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe("names, not ids", () => {
  it("a suspect on a pattern page names the user, the client and the admin, never a whole UUID", async () => {
    const withUser = suspectOn(patterns, "users/")!;
    const withClient = suspectOn(patterns, "clients/")!;
    for (const [p, kind] of [
      [withUser, "user"],
      [withClient, "client"],
    ] as const) {
      const page = await open(`/patterns/${p.id}`);
      const suspect = page.getByTestId("suspect").first();
      await suspect.waitFor();
      const shown = (await suspect.textContent()) ?? "";
      expect(shown).not.toMatch(UUID);
      // The name the API gives (the same lookup) is on the page: "users/marco.rossi/...", "client internal-portal".
      const named = p.topSuspect!.resourceName!;
      const id = p.topSuspect!.resourcePath!.split("/")[1]!;
      expect(named).not.toContain(id);
      const name = await suspect.locator(`.named[title$="${id}"]`).first().textContent();
      expect(name, `the ${kind} ${id} by name`).toBeTruthy();
      expect(name).not.toMatch(UUID);
      expect(shown).toContain(name!);
      // The admin: by name when realmwatch knows it, else the id's first characters with the whole id on hover.
      const admin = suspect.getByTestId("admin-name").first();
      const adminText = (await admin.textContent()) ?? "";
      expect(adminText).not.toMatch(UUID);
      expect(await admin.getAttribute("title")).toMatch(/^Admin user id [0-9a-f-]{36}/);
      if (p.topSuspect!.by && !UUID.test(p.topSuspect!.by)) expect(adminText).toBe(p.topSuspect!.by);
      await screenshot(page, `names-suspect-${kind}`);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    }
  });

  it("the admin events table says who made each change, by name", async () => {
    const page = await open("/events?tab=admin&realm=acme&range=30d");
    const admins = page.getByTestId("admin-event-admin");
    expect(await admins.count()).toBeGreaterThan(0);
    const names = await admins.allInnerTexts();
    // acme's own admin makes the background changes and signs in to acme: its name is known.
    expect(names).toContain("admin");
    expect(names.join("\n")).not.toMatch(UUID);
    const resources = (await page.getByTestId("admin-event-resource").allTextContents()).join("\n");
    expect(resources).toMatch(/users\/[a-z]+\.[a-z]+/);
    expect(resources).not.toMatch(UUID);
    await screenshot(page, "names-admin-events");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

describe("the Patterns page", () => {
  it("sorts and filters from the URL, and its form writes them to the URL", async () => {
    const page = await open("/patterns?status=open,ongoing,resolved&sort=failures");
    await page.getByTestId("pattern-legend").waitFor();
    const counts = (await page.getByTestId("pattern-failures").allInnerTexts()).map((t) =>
      Number(t.replace(/,/g, "")),
    );
    expect(counts.length).toBeGreaterThan(2);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const statuses = new Set(
      (await page.getByTestId("pattern-status").allInnerTexts()).map((t) => t.split("\n")[0]),
    );
    expect(statuses.has("Resolved")).toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await screenshot(page, "patterns-by-failures");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Realm").selectOption("acme");
    await page.getByLabel("Sort by").selectOption("start");
    await page.getByLabel("Status").selectOption("open,ongoing,resolved");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/sort=start/);
    const url = new URL(page.url());
    expect(url.searchParams.get("realm")).toBe("acme");
    const wheres = await page.getByTestId("pattern-where").allInnerTexts();
    expect(wheres.length).toBeGreaterThan(0);
    expect(wheres.every((w) => w.startsWith("acme"))).toBe(true);
    const starts = await page
      .locator('[data-testid="pattern-row"] td:nth-child(3) time')
      .evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute("datetime") ?? "")));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));

    const cause = (
      (await page.getByTestId("pattern-row").first().getByRole("link").first().textContent()) ?? ""
    ).trim();
    await page.getByLabel("Cause").selectOption({ label: cause });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/cause=/);
    const causes = await page.locator('[data-testid="pattern-row"] td:first-child > a').allInnerTexts();
    expect(new Set(causes)).toEqual(new Set([cause]));
    await screenshot(page, "patterns-filtered");
    await page.close();
  });

  it("ranks open patterns by impact by default, with the statuses explained", async () => {
    const page = await open("/patterns");
    const legend = (await page.getByTestId("pattern-legend").textContent()) ?? "";
    for (const word of ["Open", "Ongoing", "Resolved", "Acute", "Chronic"]) expect(legend).toContain(word);
    const statuses = (await page.getByTestId("pattern-status").allInnerTexts()).map((t) => t.split("\n")[0]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === "Open" || s === "Ongoing")).toBe(true);
    expect(await page.getByLabel("Sort by").inputValue()).toBe("impact");
    const failures24h = (await page.getByTestId("pattern-failures-24h").allInnerTexts()).map((t) =>
      Number(t.replace(/,/g, "")),
    );
    expect(failures24h).toEqual([...failures24h].sort((a, b) => b - a));
    await screenshot(page, "patterns-by-impact");
    await page.close();
  });
});

describe("the overview", () => {
  it("lists the open patterns of most impact, one row each, since a date and a time", async () => {
    const page = await open("/?range=7d");
    const table = page.getByTestId("patterns");
    await table.waitFor();
    const headers = await table.locator("thead th").count();
    const rows = table.getByTestId("pattern-row");
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.count()).toBeLessThanOrEqual(5);
    for (const row of await rows.all()) expect(await row.locator("td").count()).toBe(headers);
    const since = (await rows.first().locator("td").nth(2).textContent()) ?? "";
    expect(since).toMatch(/^\d{4}-\d{2}-\d{2}\s*\d{2}:\d{2}/);
    const statuses = (await page.getByTestId("pattern-status").allTextContents()).map((t) =>
      t.replace(/(acute|chronic)$/, ""),
    );
    expect(statuses.every((s) => s === "Open" || s === "Ongoing")).toBe(true);
    await page.close();
  });
});

describe("our API returns 403", () => {
  it("finds the API by name and lists the failures it refused, with their callers", async () => {
    const page = await open("/clients");
    await page.getByLabel("clientId contains").fill("orders-api");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=orders-api/);
    const results = page.getByTestId("client-result");
    expect(await results.count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, "clients-search");
    expect(await seriousViolations(page)).toEqual([]);
    await results.filter({ hasText: "acme" }).getByRole("link", { name: "acme-orders-api" }).click();
    await page.waitForURL(/\/clients\/acme\/acme-orders-api/);

    const refusals = page.getByTestId("client-refusals");
    await refusals.waitFor();
    const callers = refusals.getByTestId("client-refusals-groups").locator("tbody tr");
    expect(await callers.first().locator("td").first().textContent()).toBe("acme-spa");
    expect(
      Number(((await callers.first().locator("td").nth(1).textContent()) ?? "").replace(/,/g, "")),
    ).toBeGreaterThan(0);
    const latest = await refusals.getByTestId("client-refusals-recent").locator("tbody tr").allInnerTexts();
    expect(latest.length).toBeGreaterThan(0);
    expect(latest[0]).toMatch(/DELETE \/api\/orders\/\d+ → 403/);
    expect(latest.join("\n")).not.toMatch(UUID);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await screenshot(page, "client-api-refusals");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("a token exchange's audience has its refusals, and a service named by its user agent its failures", async () => {
    const audience = await open("/clients/internal/internal-billing-api?range=7d");
    await audience.getByTestId("client-refusals").waitFor();
    const callers = await audience
      .getByTestId("client-refusals-groups")
      .locator("tbody tr td:first-child")
      .allInnerTexts();
    expect(callers).toContain("internal-gateway");
    await audience.close();

    // The reporting service's admin REST 403s reach only the access log, which names no client; its user agent
    // ("acme-reporting/2.4 node") names one of the realm's clients, so the failures are that client's. The demo's
    // access log is fed oldest first: wait until the recent lines are in.
    await poll("the reporting service's access-log failures", async () => {
      const res = await fetch(`${baseUrl()}/api/clients/acme/acme-reporting?range=7d`);
      return ((await res.json()) as { recentFailures: unknown[] }).recentFailures.length > 0 ? true : null;
    });
    const page = await open("/clients?q=reporting&range=7d");
    const hit = page.getByTestId("client-result").filter({ hasText: "acme-reporting" });
    expect(await hit.count()).toBeGreaterThanOrEqual(1);
    await hit.first().getByRole("link", { name: "acme-reporting" }).click();
    await page.waitForURL(/\/clients\/acme\/acme-reporting/);
    const recent = page.getByTestId("client-recent-failures");
    await recent.waitFor();
    expect(await recent.textContent()).toContain("HTTP_DENIAL");
    await screenshot(page, "client-user-agent");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

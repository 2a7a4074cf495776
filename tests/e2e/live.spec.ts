import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, screenshot } from "./helpers/browser";

/**
 * Pages as a monitoring screen: live mode brings new events without a reload, forms follow Back, no page is wider
 * than a phone, and unknown things say so. New events are written during the test through the import endpoint,
 * in a realm of their own so the counts are this test's alone.
 */
const REALM = "livecheck";
const SHOTS = resolve("test-results/e2e");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Keycloak's default event log line of a failed login, stamped `at` (UTC). */
function logLine(at: number, n: number): string {
  const t = new Date(at).toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
  return `${t} WARN  [org.keycloak.events] (executor-thread-${n}) type="LOGIN_ERROR", realmId="r-${REALM}", realmName="${REALM}", clientId="live-app", userId="null", ipAddress="198.51.100.${n}", error="user_not_found", username="probe${n}"`;
}

async function importLines(lines: string[]): Promise<void> {
  const res = await fetch(`${baseUrl()}/api/import?realm=${REALM}&tz=UTC`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: `${lines.join("\n")}\n`,
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function open(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 844 } });
  await page.goto(`${baseUrl()}${path}`, { waitUntil: "networkidle" });
  return page;
}

const eventCount = async (page: Page) => Number(await page.getByTestId("event-count").textContent());

describe("live mode", () => {
  it("updates the overview's count without a reload and says when it was drawn", async () => {
    const now = Date.now();
    await importLines([logLine(now - 60_000, 1)]);
    const page = await open(`/?realm=${REALM}&range=24h&tz=UTC&live=2s`);
    expect(await eventCount(page)).toBe(1);
    const stamp = page.getByTestId("live-updated");
    expect(await stamp.textContent()).toMatch(/^updated \d{2}:\d{2}:\d{2}$/);
    const first = await stamp.textContent();
    // A marker on the window survives a refresh of the data and would vanish with a reload.
    await page.evaluate(() => {
      (window as unknown as { liveMarker: number }).liveMarker = 42;
    });

    await importLines([logLine(now - 30_000, 2), logLine(now - 20_000, 3)]);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="event-count"]')?.textContent === "3",
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
    expect(await stamp.textContent()).not.toBe(first);
    await screenshot(page, "live-overview");

    // Typing in a filter pauses it: new events wait until the person is done.
    await page.getByLabel("From").focus();
    await page.getByTestId("live-state").filter({ hasText: "paused: editing a form" }).waitFor();
    await importLines([logLine(now - 10_000, 4)]);
    await page.waitForTimeout(4_000);
    expect(await eventCount(page)).toBe(3);
    await page.getByLabel("From").blur();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="event-count"]')?.textContent === "4",
      undefined,
      { timeout: 20_000 },
    );
    await page.close();
  });

  it("keeps its interval in the URL, and off stops it", async () => {
    const page = await open(`/patterns?tz=UTC`);
    expect(await page.getByTestId("live-choice").inputValue()).toBe("30s");
    await page.getByTestId("live-choice").selectOption("off");
    await page.waitForURL(/live=off/);
    const stamp = await page.getByTestId("live-updated").textContent();
    await page.waitForTimeout(2_500);
    expect(await page.getByTestId("live-updated").textContent()).toBe(stamp);
    await page.close();
  });
});

describe("forms follow the URL", () => {
  it("Back restores the form's fields, not only the data", async () => {
    const page = await open(`/?range=24h&tz=UTC&live=off`);
    const time = page.getByLabel("Time", { exact: true });
    expect(await time.inputValue()).toBe("24h");
    await time.selectOption("7d");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/range=7d/);
    expect(await page.getByLabel("Time", { exact: true }).inputValue()).toBe("7d");
    await page.goBack({ waitUntil: "networkidle" });
    expect(new URL(page.url()).searchParams.get("range")).toBe("24h");
    expect(await page.getByLabel("Time", { exact: true }).inputValue()).toBe("24h");
    await page.goForward({ waitUntil: "networkidle" });
    expect(await page.getByLabel("Time", { exact: true }).inputValue()).toBe("7d");
    await page.close();
  });

  it("a page the browser restores from its back-forward cache resets its form to the URL's values", async () => {
    // Headless Chromium here does not keep these pages in the back-forward cache, so the restore is played:
    // the field holds what was chosen before leaving, then the page is shown again as a cache restore does.
    const page = await open(`/?range=24h&tz=UTC&live=off`);
    const time = page.getByLabel("Time", { exact: true });
    await time.selectOption("7d");
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
    expect(await time.inputValue()).toBe("24h");
    await page.close();
  });

  it("shows epoch milliseconds from a pattern's link as dates on the page's clock", async () => {
    const from = Date.parse("2026-12-01T09:00:00Z");
    const to = Date.parse("2026-12-01T11:00:00Z") - 1;
    const page = await open(`/events?from=${from}&to=${to}&tz=Europe/Berlin`);
    expect(await page.getByLabel("From").inputValue()).toBe("2026-12-01T10:00");
    expect(await page.getByLabel("To (inclusive)").inputValue()).toBe("2026-12-01T11:59");
    await page.close();
  });
});

describe("time zones", () => {
  it("are picked in the header and kept in the URL", async () => {
    const page = await open(`/patterns?tz=UTC&live=off`);
    const input = page.getByTestId("tz-input");
    await input.fill("Asia/Kolkata");
    await input.press("Enter");
    await page.waitForURL(/tz=Asia%2FKolkata/);
    expect(await page.getByTestId("tz-input").inputValue()).toBe("Asia/Kolkata");
    await page.close();
  });
});

async function somePaths(): Promise<string[]> {
  const paths = ["/", "/events", "/events?tab=admin", "/patterns", "/clients", "/sources", "/import"];
  paths.push("/diagnose", "/token", "/fixes/user-credentials");
  const events = await fetch(`${baseUrl()}/api/events?realm=acme&range=30d&outcome=failures&limit=50`);
  const body = (await events.json()) as { events: { userId: string | null; clientId: string | null }[] };
  const user = body.events.find((e) => e.userId)?.userId;
  const client = body.events.find((e) => e.clientId)?.clientId;
  if (user) paths.push(`/users/acme/${encodeURIComponent(user)}?range=30d`);
  // The demo always holds a lockout three hours back: its evidence names USER_DISABLED_BY_TEMPORARY_LOCKOUT, a
  // token wider than a phone's timeline (which user failed last depends on the hour the test runs).
  const locked = await fetch(
    `${baseUrl()}/api/events?realm=acme&range=30d&type=USER_DISABLED_BY_TEMPORARY_LOCKOUT&limit=1`,
  );
  const lockedUser = ((await locked.json()) as { events: { userId: string | null }[] }).events[0]?.userId;
  expect(lockedUser, "the demo's locked-out user").toBeTruthy();
  if (lockedUser && lockedUser !== user)
    paths.push(`/users/acme/${encodeURIComponent(lockedUser)}?range=30d`);
  if (client) paths.push(`/clients/acme/${encodeURIComponent(client)}?range=30d`);
  const listed = async () =>
    (
      (await (
        await fetch(`${baseUrl()}/api/patterns?status=open&status=ongoing&status=resolved`)
      ).json()) as {
        patterns: { id: string }[];
      }
    ).patterns;
  let patterns = await listed();
  if (patterns.length === 0) {
    await fetch(`${baseUrl()}/api/patterns/refresh`, {
      method: "POST",
      headers: { origin: baseUrl(), "content-type": "application/json" },
      body: "{}",
    });
    patterns = await listed();
  }
  expect(patterns.length, "a pattern page to try").toBeGreaterThan(0);
  paths.push(`/patterns/${patterns[0]?.id}`);
  return paths;
}

describe("narrow screens", () => {
  it("no page scrolls sideways at 390 px; tables are stacked cards", async () => {
    const wide: string[] = [];
    for (const path of await somePaths()) {
      const sep = path.includes("?") ? "&" : "?";
      const page = await open(`${path}${sep}live=off`, 390);
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) wide.push(`${path}: ${overflow} px too wide`);
      const name = path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "overview";
      // The first screen as a phone shows it (a full page of stacked cards is too long to look at).
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `narrow-${name.slice(0, 40)}.png`) });
      await page.close();
    }
    expect(wide).toEqual([]);
  }, 240_000);
});

describe("tables at phone width", () => {
  it("are stacked cards, each value under its column's heading", async () => {
    const page = await open(`/events?range=30d&outcome=failures&live=off`, 390);
    const table = page.locator("table.data-table").first();
    const row = table.locator("tbody tr").first();
    expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe("block");
    const labels = await row
      .locator("td")
      .evaluateAll((tds) => tds.map((td) => td.getAttribute("data-label")));
    expect(labels).toContain("Type");
    expect(labels).toContain("Cause");
    mkdirSync(SHOTS, { recursive: true });
    await row.screenshot({ path: join(SHOTS, "narrow-table-card.png") });
    await page.close();
  });
});

describe("identifiers at desktop width", () => {
  it("wrap only at their separators: no event type or error is cut inside a word", async () => {
    const page = await open(`/events?range=30d&outcome=failures&live=off`);
    // Every line box of a cell's type/error text starts at a word boundary: the text before it ends in a
    // separator or a space.
    const broken = await page.evaluate(() => {
      const out: string[] = [];
      for (const cell of document.querySelectorAll("table.data-table td")) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent ?? "";
          for (const m of text.matchAll(/[A-Za-z0-9]{2,}/g)) {
            const range = document.createRange();
            range.setStart(n, m.index ?? 0);
            range.setEnd(n, (m.index ?? 0) + m[0].length);
            if (range.getClientRects().length > 1) out.push(m[0]);
          }
        }
      }
      return out.slice(0, 10);
    });
    expect(broken).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "desktop-events-1280.png") });
    await page.close();
  });
});

describe("clear states", () => {
  it("an unknown realm, user, client or pattern is a 404 that says which, with a way back", async () => {
    const cases: [string, string][] = [
      ["/?realm=no-such-realm", "Not found"],
      ["/users/acme/no-such-user", "Unknown user"],
      ["/clients/acme/no-such-client", "Unknown client"],
      ["/patterns/00000000-0000-4000-8000-000000000000", "Unknown pattern"],
    ];
    for (const [path, title] of cases) {
      const page = await open(path);
      const state = page.getByTestId("not-found");
      expect(await state.getByRole("heading").textContent(), path).toBe(title);
      expect(await state.getByRole("link", { name: "Back to the overview" }).count()).toBe(1);
      expect(await page.getByTestId("health-ok").count(), path).toBe(0);
      await page.close();
    }
  });

  it("has a favicon: no page logs a failed request", async () => {
    const res = await fetch(`${baseUrl()}/favicon.ico`);
    expect(res.status).toBe(200);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("requestfailed", (r) => errors.push(`${r.url()} failed`));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.url()} ${r.status()}`);
    });
    await page.goto(`${baseUrl()}/?live=off`, { waitUntil: "networkidle" });
    await page.goto(`${baseUrl()}/patterns?live=off`, { waitUntil: "networkidle" });
    expect(errors).toEqual([]);
    await page.close();
  });
});

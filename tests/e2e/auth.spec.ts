import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_WEB_CLIENT, type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { launchBrowser, screenshot } from "./helpers/browser";

/**
 * Sign-in in a real browser. The suite's shared app runs in the demo mode without sign-in, so this file starts
 * a second instance (same build, own data directory) with OpenID Connect against a demo Keycloak started here,
 * whose master realm has the users viewer, analyst and admin (password = username).
 */
let keycloak: DemoKeycloak;
let app: ChildProcess;
let base = "";
let browser: Browser;
const output: string[] = [];

beforeAll(async () => {
  keycloak = await startDemoKeycloak({ port: 0, traffic: false });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const dataDir = ".data/e2e-auth";
  rmSync(dataDir, { recursive: true, force: true });
  app = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      REALMWATCH_DATA_DIR: dataDir,
      REALMWATCH_PG_PORT: String(await freePort()),
      REALMWATCH_DEMO_KEYCLOAK_PORT: "0",
      REALMWATCH_POLLER: "off",
      REALMWATCH_OIDC_ISSUER: `${keycloak.url}/realms/master`,
      REALMWATCH_OIDC_CLIENT_ID: DEMO_WEB_CLIENT.clientId,
      REALMWATCH_OIDC_CLIENT_SECRET: DEMO_WEB_CLIENT.secret,
      DATABASE_URL: "",
      KEYCLOAK_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout?.on("data", (d) => output.push(String(d)));
  app.stderr?.on("data", (d) => output.push(String(d)));
  const deadline = Date.now() + 170_000;
  while (
    !(await fetch(`${base}/api/live`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (app.exitCode !== null) throw new Error(`The app exited early:\n${output.join("").slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`The app did not start:\n${output.join("").slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  await keycloak?.close();
});

/** Opens `path`, is sent to sign in, signs in at Keycloak as `user`, and lands back on `path`. */
async function signInAt(path: string, user: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}${path}`);
  await page.getByTestId("signin-page").waitFor();
  await page.getByTestId("signin-button").click();
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(user);
  await page.locator("#kc-login").click();
  await page.waitForURL(`${base}${path}`);
  return page;
}

describe("sign-in with Keycloak", () => {
  it("sends a visitor to sign in and back to the page they opened", async () => {
    const page = await signInAt("/patterns", "viewer");
    const cookie = (await page.context().cookies()).find((c) => c.name === "rw_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
    await screenshot(page, "auth-viewer-patterns");
    await page.close();
  });

  it("keeps exports from a viewer and lets an analyst export", async () => {
    const viewer = await signInAt("/", "viewer");
    expect((await viewer.request.get(`${base}/api/events/export`)).status()).toBe(403);
    await viewer.close();
    const analyst = await signInAt("/", "analyst");
    expect((await analyst.request.get(`${base}/api/events/export`)).status()).not.toBe(403);
    await analyst.close();
  });

  it("masks usernames and addresses for a viewer and shows them to an analyst", async () => {
    const admin = await signInAt("/", "admin");
    const sync = await admin.request.post(`${base}/api/sync`, { headers: { origin: base }, data: {} });
    expect(sync.status()).toBe(200);
    await admin.close();
    type Events = { events: { username: string | null; ipAddress: string | null }[] };
    const read = async (user: string): Promise<Events> => {
      const page = await signInAt("/", user);
      const res = await page.request.get(`${base}/api/events?realm=acme&range=30d&limit=100`);
      expect(res.status()).toBe(200);
      const body = (await res.json()) as Events;
      await page.close();
      return body;
    };
    const asAnalyst = await read("analyst");
    const named = asAnalyst.events.filter((e) => e.username);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((e) => e.username?.includes("•••")).map((e) => e.username)).toEqual([]);
    const asViewer = await read("viewer");
    const masked = asViewer.events.filter((e) => e.username);
    expect(masked.length).toBeGreaterThan(0);
    expect(masked.filter((e) => !/^.?•••$/u.test(e.username ?? "")).map((e) => e.username)).toEqual([]);
    const ips = asViewer.events.map((e) => e.ipAddress).filter((ip): ip is string => Boolean(ip));
    expect(ips.filter((ip) => !ip.endsWith(".x.x") && !ip.includes("•••"))).toEqual([]);
  });

  it("masks the names of admins and of the users they changed for a viewer, and shows them to an analyst", async () => {
    type Admins = {
      events: {
        admin: { name: string | null } | null;
        resource: { kind?: string | null; name?: string | null }[];
      }[];
    };
    const read = async (user: string): Promise<Admins> => {
      const page = await signInAt("/", user);
      const res = await page.request.get(`${base}/api/events/admin?realm=acme&range=30d&limit=200`);
      expect(res.status()).toBe(200);
      const body = (await res.json()) as Admins;
      await page.close();
      return body;
    };
    const adminNames = (a: Admins) => a.events.flatMap((e) => (e.admin?.name ? [e.admin.name] : []));
    const userNames = (a: Admins) =>
      a.events.flatMap((e) => e.resource.flatMap((p) => (p.kind === "user" && p.name ? [p.name] : [])));
    let asAnalyst = await read("analyst");
    for (let i = 0; i < 30 && !adminNames(asAnalyst).includes("admin"); i++) {
      await new Promise((r) => setTimeout(r, 2_000));
      asAnalyst = await read("analyst");
    }
    expect(adminNames(asAnalyst)).toContain("admin");
    expect(userNames(asAnalyst).filter((n) => n.includes("•••"))).toEqual([]);
    const asViewer = await read("viewer");
    expect(adminNames(asViewer).length).toBeGreaterThan(0);
    expect(adminNames(asViewer).filter((n) => !/^.?•••$/u.test(n))).toEqual([]);
    expect(userNames(asViewer).filter((n) => !/^.?•••$/u.test(n))).toEqual([]);
  });

  it("shows a viewer no one's name, address or user id on any page they can open", async () => {
    // This instance does not sync by itself: a sync now (an admin's), then what an analyst sees of the people in
    // the events, the values a viewer's pages must not hold.
    const admin = await signInAt("/", "admin");
    expect(
      (await admin.request.post(`${base}/api/sync`, { headers: { origin: base }, data: {} })).status(),
    ).toBe(200);
    await admin.close();
    const analyst = await signInAt("/", "analyst");
    const personal = new Set<string>();
    for (const realm of ["acme", "retail", "internal"]) {
      const res = await analyst.request.get(`${base}/api/events?realm=${realm}&range=30d&limit=500`);
      const body = (await res.json()) as {
        events: { username: string | null; ipAddress: string | null; userId: string | null }[];
      };
      for (const e of body.events)
        for (const v of [e.username, e.ipAddress, e.userId]) if (v) personal.add(v);
    }
    // This instance does not sync by itself: detection on demand, so that there are patterns (and user pages).
    const refresh = await analyst.request.post(`${base}/api/patterns/refresh`, {
      headers: { origin: base },
      data: {},
    });
    expect(refresh.status()).toBe(200);
    await analyst.close();
    const values = [...personal].filter(
      (v) => v.length >= 4 && v !== "admin" && !v.startsWith("service-account-"),
    );
    expect(values.length).toBeGreaterThan(10);

    const viewer = await signInAt("/", "viewer");
    const patterns = (
      (await (
        await viewer.request.get(`${base}/api/patterns?status=open&status=ongoing&status=resolved`)
      ).json()) as {
        patterns: { id: string; realm: string; userId: string | null }[];
      }
    ).patterns;
    const pages = [
      "/",
      "/events?realm=acme&range=30d",
      "/events?tab=admin&realm=acme&range=30d",
      "/patterns",
      "/clients",
    ];
    for (const p of patterns.slice(0, 12)) {
      pages.push(`/patterns/${p.id}`);
      if (p.userId) pages.push(`/users/${p.realm}/${encodeURIComponent(p.userId)}?range=30d`);
    }
    const leaks: string[] = [];
    for (const path of pages) {
      const res = await viewer.goto(`${base}${path}`);
      expect(res?.status(), path).toBe(200);
      const html = await viewer.content();
      for (const v of values) if (html.includes(v)) leaks.push(`${path}: ${v}`);
      // The fix page each pattern page links to.
      const fix = await viewer
        .locator('a[href^="/fixes/"]')
        .first()
        .getAttribute("href")
        .catch(() => null);
      if (fix && path.startsWith("/patterns/")) {
        await viewer.goto(`${base}${fix}`);
        const fixHtml = await viewer.content();
        for (const v of values) if (fixHtml.includes(v)) leaks.push(`${fix}: ${v}`);
      }
    }
    expect(patterns.some((p) => p.userId?.startsWith("~"))).toBe(true);
    await screenshot(viewer, "auth-viewer-last-page");
    await viewer.close();
    expect(leaks.join("\n")).toBe("");
  }, 240_000);

  it("lets only an admin open the sources page", async () => {
    const analyst = await signInAt("/", "analyst");
    expect((await analyst.goto(`${base}/sources`))?.status()).toBe(403);
    await analyst.close();
    const admin = await signInAt("/sources", "admin");
    expect(admin.url()).toBe(`${base}/sources`);
    await admin.close();
  });

  it("refuses the API without a session", async () => {
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    expect((await fetch(`${base}/api/live`)).status).toBe(200);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { type DemoKeycloak, startDemoKeycloak } from "../src";
import { call, manualClock, serviceToken } from "./http-helpers";

const T0 = Date.UTC(2026, 10, 1, 9);
const clock = manualClock(T0 + 100_000);
let demo: DemoKeycloak;
let token: string;

beforeAll(async () => {
  demo = await startDemoKeycloak({ seed: 21, traffic: { days: 0, live: false, now: clock.now } });
  demo.store.addUserEvents(
    "acme",
    Array.from({ length: 40 }, (_, i) => ({
      time: T0 + i * 1000,
      type: "LOGIN",
      clientId: "acme-spa",
      userId: `u${i}`,
    })),
  );
  token = await serviceToken(demo);
});
afterAll(() => demo.close());

const events = (query: string) => call(demo, "GET", `/admin/realms/acme/events?${query}`, { token });

describe("fault injection", () => {
  it("fails the next N requests under a path with a 5xx, then recovers", async () => {
    demo.faults.failNext(2, { status: 503, path: "/admin/realms/acme/events" });
    expect((await events("max=1")).status).toBe(503);
    expect((await call(demo, "GET", "/admin/realms/acme/events/config", { token })).status).toBe(503);
    expect((await events("max=1")).status).toBe(200);
    demo.faults.failNext(1);
    expect(await events("max=1")).toMatchObject({ status: 500, body: { error: "unknown_error" } });
  });

  it("fails with a seeded probability", async () => {
    demo.faults.failWithProbability(0.5, { path: "/admin/" });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await events("max=1")).status);
    demo.faults.failWithProbability(0);
    expect(statuses).toContain(500);
    expect(statuses).toContain(200);
  });

  it("holds a request open until the client gives up, and close() still ends it", async () => {
    demo.faults.hangNext(1, { path: "/admin/realms/acme/events" });
    const aborted = await fetch(`${demo.url}/admin/realms/acme/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(300),
    }).then(
      () => "answered",
      (e: Error) => e.name,
    );
    expect(aborted).toBe("TimeoutError");
    expect((await events("max=1")).status).toBe(200);
  });

  it("delays answers past a client's timeout while slow, not after", async () => {
    const attempt = () =>
      fetch(`${demo.url}/admin/realms/acme/events?max=1`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(1000),
      }).then(
        (r) => r.status,
        (e: Error) => e.name,
      );
    demo.faults.slow(30_000, { path: "/admin/realms/acme/events" });
    expect(await attempt()).toBe("TimeoutError");
    demo.faults.slow(0);
    expect(await attempt()).toBe(200);
  });

  it("expireTokensNow makes every issued token 401 until re-authentication", async () => {
    expect((await events("max=1")).status).toBe(200);
    demo.faults.expireTokensNow();
    expect(await events("max=1")).toMatchObject({ status: 401, body: { error: "HTTP 401 Unauthorized" } });
    token = await serviceToken(demo);
    expect((await events("max=1")).status).toBe(200);
  });

  it("inserts events between two page requests, some inside the page already served", async () => {
    demo.faults.insertWhilePaging({ count: 4, pages: 1, realm: "acme" });
    const page1 = (await events(`direction=asc&dateFrom=${T0}&dateTo=${T0 + 39_000}&first=0&max=10`))
      .body as KeycloakUserEvent[];
    const inserted = demo.faults.insertedWhilePaging;
    expect(inserted).toHaveLength(4);
    const insidePage = inserted.filter((e) => e.time >= page1[0]!.time && e.time <= page1[9]!.time);
    expect(insidePage.length).toBeGreaterThanOrEqual(1);
    // Offset paging now sees a row of page 1 again: the duplicate hazard of `first` across inserts.
    const page2 = (await events(`direction=asc&dateFrom=${T0}&dateTo=${T0 + 39_000}&first=10&max=10`))
      .body as KeycloakUserEvent[];
    const ids1 = new Set(page1.map((e) => e.id));
    expect(page2.some((e) => ids1.has(e.id))).toBe(true);
  });

  it("serves a late-committed success only after later events were served", async () => {
    const stamped = T0 + 20_500;
    const [late] = demo.faults.lateVisible("acme", { count: 1, lagMs: 60_000, time: stamped });
    const before = (await events(`direction=asc&dateFrom=${T0 + 20_000}&dateTo=${T0 + 21_000}&max=-1`))
      .body as KeycloakUserEvent[];
    expect(before.map((e) => e.id)).not.toContain(late!.id);
    clock.t += 60_000;
    const after = (await events(`direction=asc&dateFrom=${T0 + 20_000}&dateTo=${T0 + 21_000}&max=-1`))
      .body as KeycloakUserEvent[];
    expect(after.map((e) => e.id)).toContain(late!.id);
    expect(after.find((e) => e.id === late!.id)!.time).toBe(stamped);
  });

  it("goes down (connections refused) and comes back on the same port", async () => {
    await demo.faults.down();
    const refused = await fetch(`${demo.url}/admin/realms`, { signal: AbortSignal.timeout(2000) }).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).toBe("refused");
    await demo.faults.up();
    expect((await call(demo, "GET", "/admin/realms", { token })).status).toBe(200);
  });

  it("is driven over HTTP too: POST /__demo/faults", async () => {
    const r = await call(demo, "POST", "/__demo/faults", {
      json: { failNext: { count: 1, status: 502, path: "/admin/serverinfo" } },
    });
    expect(r.status).toBe(200);
    expect((await call(demo, "GET", "/admin/serverinfo", { token })).status).toBe(502);
    expect(await call(demo, "GET", "/admin/serverinfo", { token })).toMatchObject({
      status: 200,
      body: { systemInfo: { version: "26.6.3" } },
    });
    expect((await call(demo, "POST", "/__demo/faults", { body: "[1,2]" })).status).toBe(400);
  });
});

describe("close()", () => {
  it("ends while a request is held open", async () => {
    const other = await startDemoKeycloak({ seed: 2, traffic: false });
    other.faults.hangNext(1);
    const pending = fetch(`${other.url}/admin/realms`).then(
      () => "answered",
      () => "connection closed",
    );
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await pending).toBe("connection closed");
  });
});

describe("same-millisecond ties served unstably", () => {
  it("returns a tie run in different orders on two requests while the flag is on", async () => {
    demo.store.addUserEvents(
      "retail",
      Array.from({ length: 30 }, (_, i) => ({ time: T0, type: "LOGIN", clientId: `tie-${i}` })),
    );
    demo.faults.setUnstableTies(true);
    const a = (
      (await call(demo, "GET", `/admin/realms/retail/events?dateFrom=${T0}&dateTo=${T0}&max=-1`, { token }))
        .body as KeycloakUserEvent[]
    ).map((e) => e.clientId);
    const b = (
      (await call(demo, "GET", `/admin/realms/retail/events?dateFrom=${T0}&dateTo=${T0}&max=-1`, { token }))
        .body as KeycloakUserEvent[]
    ).map((e) => e.clientId);
    demo.faults.setUnstableTies(false);
    expect(a).not.toEqual(b);
    expect([...a].sort()).toEqual([...b].sort());
  });
});

import KcAdminClient from "@keycloak/keycloak-admin-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { type DemoKeycloak, startDemoKeycloak } from "../src";
import { call, clientToken, manualClock, serviceToken } from "./http-helpers";

// The admin client checks a token's exp against the real clock, so the server's clock starts near it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 7_200_000;
const clock = manualClock(T0 + 7_200_000);
let demo: DemoKeycloak;
let token: string;

/** 150 events a second apart from T0, with two pairs sharing a millisecond. */
const seeded: KeycloakUserEvent[] = Array.from({ length: 150 }, (_, i) => ({
  time: T0 + (i === 11 || i === 21 ? i - 1 : i) * 1000,
  type: i % 10 === 0 ? "LOGIN_ERROR" : "LOGIN",
  clientId: i % 2 === 0 ? "acme-spa" : "acme-mobile",
  userId: `user-${i % 7}`,
  ipAddress: "203.0.113.5",
  error: i % 10 === 0 ? "invalid_user_credentials" : null,
  details: { username: `user${i}` },
}));

beforeAll(async () => {
  demo = await startDemoKeycloak({ seed: 11, traffic: { days: 0, live: false, now: clock.now } });
  demo.store.addUserEvents("acme", seeded);
  token = await serviceToken(demo);
});
afterAll(() => demo.close());

describe("GET /admin/realms/{realm}/events", () => {
  it("works with @keycloak/keycloak-admin-client: client credentials, direction passed through, epoch dateFrom", async () => {
    const kc = new KcAdminClient({ baseUrl: demo.url, realmName: "master" });
    await kc.auth({
      grantType: "client_credentials",
      clientId: "realmwatch",
      clientSecret: "realmwatch-demo-secret",
    });
    const page = await kc.realms.findEvents({
      realm: "acme",
      dateFrom: String(T0 + 5000),
      direction: "asc",
      max: 3,
    } as never);
    expect(page.map((e) => e.time)).toEqual([T0 + 5000, T0 + 6000, T0 + 7000]);
    expect((page[0] as { id?: string }).id).toMatch(/^[0-9a-f-]{36}$/);
    expect(page[0]!.realmId).toBe((await kc.realms.findOne({ realm: "acme" }))!.id);
  });

  it("includes both ends of the date range and pages by first/max", async () => {
    const r = await call(
      demo,
      "GET",
      `/admin/realms/acme/events?dateFrom=${T0 + 10_000}&dateTo=${T0 + 20_000}&direction=asc&max=-1`,
      { token },
    );
    const times = (r.body as KeycloakUserEvent[]).map((e) => e.time);
    expect(times[0]).toBe(T0 + 10_000);
    expect(times[times.length - 1]).toBe(T0 + 20_000);
    // 11 distinct seconds, one of them twice (i = 11 shares the 10th second).
    expect(times).toHaveLength(12);
    const second = await call(demo, "GET", `/admin/realms/acme/events?direction=asc&first=100&max=1000`, {
      token,
    });
    expect(second.body).toHaveLength(50);
  });

  it("returns 100 events newest first when max and direction are left out", async () => {
    const r = await call(demo, "GET", "/admin/realms/acme/events", { token });
    const events = r.body as KeycloakUserEvent[];
    expect(events).toHaveLength(100);
    expect(events[0]!.time).toBe(T0 + 149_000);
  });

  it("filters on type (repeatable), client, user and ipAddress", async () => {
    const r = await call(
      demo,
      "GET",
      "/admin/realms/acme/events?type=LOGIN_ERROR&type=CODE_TO_TOKEN&client=acme-spa&max=-1",
      { token },
    );
    expect(
      (r.body as KeycloakUserEvent[]).every((e) => e.type === "LOGIN_ERROR" && e.clientId === "acme-spa"),
    ).toBe(true);
    expect(r.body).toHaveLength(15);
  });

  it("answers Keycloak's errors in Keycloak's order", async () => {
    expect(await call(demo, "GET", "/admin/realms/acme/events")).toMatchObject({
      status: 401,
      body: { error: "HTTP 401 Unauthorized" },
    });
    expect(await call(demo, "GET", "/admin/realms/acme/events", { token: "not.a.jwt" })).toMatchObject({
      status: 401,
    });
    expect(await call(demo, "GET", "/admin/realms/nope/events", { token })).toMatchObject({
      status: 404,
      body: { error: "Realm not found." },
    });
    expect(await call(demo, "GET", "/admin/realms/acme/events?max=abc&type=NOPE", { token })).toMatchObject({
      status: 404,
      body: { error: "HTTP 404 Not Found" },
    });
    expect(
      await call(demo, "GET", "/admin/realms/acme/events?type=NOPE&dateFrom=x", { token }),
    ).toMatchObject({ status: 500, body: { error: "unknown_error" } });
    expect(await call(demo, "GET", "/admin/realms/acme/events?dateTo=2026-13-01", { token })).toMatchObject({
      status: 400,
      body: { error: "Invalid value for 'dateTo', expected format is yyyy-MM-dd or an Epoch timestamp" },
    });
  });

  it("refuses a caller without view-events with 403, and one with view-events only from deleting", async () => {
    const noRoles = await clientToken(demo, "retail", "retail-backend", "retail-backend-secret-rotated");
    expect(await call(demo, "GET", "/admin/realms/retail/events", { token: noRoles })).toMatchObject({
      status: 403,
      body: { error: "HTTP 403 Forbidden" },
    });
    expect(await call(demo, "GET", "/admin/serverinfo", { token: noRoles })).toMatchObject({ status: 403 });
    const viewer = await clientToken(demo, "acme", "acme-reporting", "acme-reporting-secret");
    expect((await call(demo, "GET", "/admin/realms/acme/events?max=1", { token: viewer })).status).toBe(200);
    expect((await call(demo, "DELETE", "/admin/realms/acme/events", { token: viewer })).status).toBe(403);
    expect(
      (await call(demo, "PUT", "/admin/realms/acme/events/config", { token: viewer, json: {} })).status,
    ).toBe(403);
    // A token of one realm cannot administer another.
    expect((await call(demo, "GET", "/admin/realms/retail/events", { token: viewer })).status).toBe(403);
  });

  it("refuses an expired token with 401 until the client authenticates again", async () => {
    const fresh = await serviceToken(demo);
    clock.t += 301_000;
    expect((await call(demo, "GET", "/admin/realms/acme/events?max=1", { token: fresh })).status).toBe(401);
    const again = await serviceToken(demo);
    expect((await call(demo, "GET", "/admin/realms/acme/events?max=1", { token: again })).status).toBe(200);
    token = again;
  });
});

describe("the token endpoint", () => {
  it("answers a wrong secret with Keycloak 26's 401 and records CLIENT_LOGIN_ERROR", async () => {
    const r = await call(demo, "POST", "/realms/retail/protocol/openid-connect/token", {
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("retail-backend:old-secret").toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(r).toMatchObject({
      status: 401,
      body: {
        error: "unauthorized_client",
        error_description: "Invalid client or Invalid client credentials",
      },
    });
    const stored = demo.store.allUserEvents("retail").filter((e) => e.type === "CLIENT_LOGIN_ERROR");
    expect(stored.at(-1)).toMatchObject({
      clientId: "retail-backend",
      error: "invalid_client_credentials",
      userId: null,
      details: { grant_type: "client_credentials" },
    });
  });

  it("issues RS256 tokens with the claims realmwatch reads", async () => {
    const t = await serviceToken(demo);
    const [header, payload] = t
      .split(".")
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({
      iss: `${demo.url}/realms/master`,
      azp: "realmwatch",
      typ: "Bearer",
      scope: "email profile",
    });
    expect((payload!.resource_access as Record<string, { roles: string[] }>)["acme-realm"]!.roles).toEqual(
      expect.arrayContaining(["view-events", "manage-events", "view-realm", "view-clients", "view-users"]),
    );
  });
});

describe("events/config", () => {
  it("fills enabledEventTypes with the saveByDefault types when the realm stores none", async () => {
    const r = await call(demo, "GET", "/admin/realms/internal/events/config", { token });
    const types = (r.body as { enabledEventTypes: string[] }).enabledEventTypes;
    expect(types).toHaveLength(103);
    expect(types).toContain("LOGIN_ERROR");
    expect(types).not.toContain("USER_INFO_REQUEST_ERROR");
    expect(types).not.toContain("REFRESH_TOKEN_ERROR");
    const realm = await call(demo, "GET", "/admin/realms/internal", { token });
    expect(realm.body).toMatchObject({ enabledEventTypes: [] });
  });

  it("disables events when a PUT leaves eventsEnabled out, and keeps the fields it leaves out otherwise", async () => {
    const before = (await call(demo, "GET", "/admin/realms/retail/events/config", { token })).body as Record<
      string,
      unknown
    >;
    expect(before.eventsEnabled).toBe(true);
    expect(
      (
        await call(demo, "PUT", "/admin/realms/retail/events/config", {
          token,
          json: { eventsExpiration: 3600 },
        })
      ).status,
    ).toBe(204);
    const after = (await call(demo, "GET", "/admin/realms/retail/events/config", { token })).body as Record<
      string,
      unknown
    >;
    expect(after).toMatchObject({
      eventsEnabled: false,
      eventsExpiration: 3600,
      adminEventsEnabled: true,
      enabledEventTypes: before.enabledEventTypes,
    });
    // With events off, a failed client login is logged by jboss-logging but not stored.
    const storedBefore = demo.store.count("retail", "user");
    await call(demo, "POST", "/realms/retail/protocol/openid-connect/token", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=retail-backend&client_secret=wrong",
    });
    expect(demo.store.count("retail", "user")).toBe(storedBefore);
    expect(demo.eventLog().at(-1)).toContain('type="CLIENT_LOGIN_ERROR", realmId=');
    // PUT with eventsExpiration null clears it; the full object turns events back on.
    await call(demo, "PUT", "/admin/realms/retail/events/config", {
      token,
      json: { ...before, eventsExpiration: null },
    });
    const restored = (await call(demo, "GET", "/admin/realms/retail/events/config", { token }))
      .body as Record<string, unknown>;
    expect(restored.eventsEnabled).toBe(true);
    expect(restored).not.toHaveProperty("eventsExpiration");
  });

  it("records the PUT as an UPDATE REALM admin event on events/config", async () => {
    const admin = (
      await call(demo, "GET", "/admin/realms/retail/admin-events?resourcePath=events/*&max=1", { token })
    ).body as Array<Record<string, unknown>>;
    expect(admin[0]).toMatchObject({
      operationType: "UPDATE",
      resourceType: "REALM",
      resourcePath: "events/config",
    });
    expect((admin[0]!.authDetails as Record<string, unknown>).userId).toBeTruthy();
  });

  it("rejects listeners Keycloak rejects with its own 400 text, changing nothing (RealmManager#updateRealmEventsConfig), and bodies Jackson rejects", async () => {
    const put = (json: unknown) => call(demo, "PUT", "/admin/realms/acme/events/config", { token, json });
    const before = (await call(demo, "GET", "/admin/realms/acme/events/config", { token })).body;
    expect(await put({ eventsEnabled: false, eventsListeners: ["jboss-logging", "kafka"] })).toMatchObject({
      status: 400,
      body: { error: "Unknown event listener" },
    });
    expect((await call(demo, "GET", "/admin/realms/acme/events/config", { token })).body).toEqual(before);
    expect(
      await put({ eventsEnabled: true, eventsListeners: ["micrometer-user-event-metrics"] }),
    ).toMatchObject({
      status: 400,
      body: { error: "Global event listeners not allowed in realm specific configuration" },
    });
    expect(await put({ zz: 1 })).toMatchObject({
      status: 400,
      body: {
        error:
          'Invalid json representation for RealmEventsConfigRepresentation. Unrecognized field "zz" at line 1 column 8.',
      },
    });
    expect(await put({ eventsEnabled: "yes" })).toMatchObject({
      status: 400,
      body: { error: "unknown_error", error_description: "Cannot parse the JSON" },
    });
    const text = await call(demo, "PUT", "/admin/realms/acme/events/config", {
      token,
      body: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect((await call(demo, "GET", "/admin/realms/acme/events/config", { token })).body).toMatchObject({
      eventsEnabled: true,
    });
  });
});

describe("DELETE events and admin-events", () => {
  it("empties the realm's stored events", async () => {
    expect((await call(demo, "DELETE", "/admin/realms/acme/events", { token })).status).toBe(204);
    expect(await call(demo, "GET", "/admin/realms/acme/events", { token })).toMatchObject({
      status: 200,
      body: [],
    });
    expect((await call(demo, "DELETE", "/admin/realms/retail/admin-events", { token })).status).toBe(204);
    expect(demo.store.count("retail", "admin")).toBe(0);
  });
});

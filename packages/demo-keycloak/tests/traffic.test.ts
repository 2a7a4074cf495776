import { createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCauseId } from "@/lib/classify/causes";
import { DEMO_INCIDENTS, type DemoIncident, type DemoKeycloak, startDemoKeycloak } from "../src";
import { call, manualClock } from "./http-helpers";

// A Wednesday, 18:00 UTC.
const NOW = Date.UTC(2026, 10, 18, 18);
const clock = manualClock(NOW);
let demo: DemoKeycloak;

// Ten days of history take about ten seconds to generate on a busy machine: more than the default hook timeout.
beforeAll(async () => {
  demo = await startDemoKeycloak({
    seed: 7,
    traffic: { days: 10, eventsPerDay: 400, live: true, now: clock.now },
  });
}, 60_000);
afterAll(() => demo.close());

const inWindow = (t: number, i: { start: number; end: number | null }) => t >= i.start && t < (i.end ?? NOW);

describe("DEMO_INCIDENTS", () => {
  it("names real causes and one planted failure signal each", () => {
    expect(new Set(DEMO_INCIDENTS.map((i) => i.id)).size).toBe(DEMO_INCIDENTS.length);
    for (const i of DEMO_INCIDENTS) expect(isCauseId(i.cause), i.id).toBe(true);
  });
});

describe("the generated history", () => {
  it("holds every incident's evidence inside its window, with the exact Keycloak strings", () => {
    const expected: Record<string, (realm: string, i: DemoIncident) => boolean> = {
      "userinfo-missing-openid": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.type === "USER_INFO_REQUEST_ERROR" &&
              e.error === "access_denied" &&
              e.details?.reason === "Missing openid scope" &&
              e.clientId === null,
          ),
      "rotated-client-secret": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.type === "CLIENT_LOGIN_ERROR" &&
              e.error === "invalid_client_credentials" &&
              e.clientId === "retail-backend",
          ),
      "redirect-uri-scheme-lost": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.error === "invalid_redirect_uri" &&
              e.details?.redirect_uri === "http://shop.retail.example/callback",
          ),
      "redirect-uri-port-lost": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.error === "invalid_redirect_uri" &&
              e.details?.redirect_uri === "https://portal.retail.example/callback",
          ),
      "issuer-mismatch-after-hostname-change": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.details?.reason ===
                "Invalid token issuer. Expected 'https://sso.retail.example/realms/retail', but was 'https://sso-old.retail.example/realms/retail'",
          ),
      "brute-force-lockout": (r, i) => {
        const events = demo.store
          .allUserEvents(r)
          .filter((e) => inWindow(e.time, i) && e.userId === i.userId);
        return (
          ["invalid_user_credentials", "user_temporarily_disabled"].every((err) =>
            events.some((e) => e.error === err),
          ) && events.some((e) => e.type === "USER_DISABLED_BY_TEMPORARY_LOCKOUT")
        );
      },
      "token-exchange-audience": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.type === "TOKEN_EXCHANGE_ERROR" &&
              e.error === "not_allowed" &&
              e.details?.reason === "client is not within the token audience",
          ),
      "expired-refresh-tokens": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.type === "REFRESH_TOKEN_ERROR" &&
              e.details?.reason === "Token is not active" &&
              e.clientId === "acme-mobile",
          ),
      "authz-permission-denied": (r, i) =>
        demo.store
          .allUserEvents(r)
          .some(
            (e) =>
              inWindow(e.time, i) &&
              e.type === "PERMISSION_TOKEN_ERROR" &&
              e.error === "access_denied" &&
              e.details?.reason === "not_authorized",
          ),
      "admin-api-missing-view-users": () =>
        demo
          .accessLog()
          .some((l) => / - acme-reporting \[.*"GET \/admin\/realms\/acme\/users\?[^"]*" 403 /.test(l)),
      "cors-invalid-origin": () =>
        demo
          .accessLog()
          .some((l) =>
            /"POST \/realms\/acme\/protocol\/openid-connect\/token HTTP\/1.1" 403 .*"https:\/\/app\.acme\.example\/checkout"/.test(
              l,
            ),
          ),
      "realm-role-instead-of-client-role": (_r, i) =>
        demo
          .reports()
          .some(
            (rep) => inWindow(rep.time, i) && rep.required.clientRoles?.[0]?.clientId === "acme-orders-api",
          ),
      "composite-role-not-in-scope": (_r, i) =>
        demo
          .reports()
          .some((rep) => inWindow(rep.time, i) && rep.required.realmRoles?.[0] === "support-lead"),
    };
    const incidents = demo.incidents();
    expect(incidents.map((i) => i.id).sort()).toEqual(Object.keys(expected).sort());
    for (const i of incidents) expect(expected[i.id]!(i.realm, i), i.id).toBe(true);
  });

  it("plants each incident's admin event before it starts", () => {
    for (const i of demo.incidents().filter((x) => x.adminEvent)) {
      const found = demo.store.allAdminEvents(i.realm).find((e) => e.time === i.adminEventTime);
      expect(found, i.id).toMatchObject({
        operationType: i.adminEvent!.operationType,
        resourceType: i.adminEvent!.resourceType,
        resourcePath: i.adminEventResourcePath,
      });
      expect(found!.time).toBeLessThan(i.start);
    }
    // Keycloak records a realm update without any resourcePath.
    expect(
      demo.incidents().find((i) => i.id === "expired-refresh-tokens")!.adminEventResourcePath,
    ).toBeNull();
  });

  it("follows business hours: far more sign-ins at the realm's midday than at night", () => {
    // acme's business day starts at 07:00 UTC (08:00 local).
    const hours = new Array(24).fill(0) as number[];
    for (const e of demo.store.allUserEvents("acme"))
      if (e.type === "LOGIN") hours[new Date(e.time).getUTCHours()]!++;
    const day = hours.slice(9, 15).reduce((a, b) => a + b, 0);
    const night = hours
      .slice(23)
      .concat(hours.slice(0, 5))
      .reduce((a, b) => a + b, 0);
    expect(day).toBeGreaterThan(night * 4);
  });

  it("stores only what each realm's events settings save; a default server log holds only the error lines (JBossLoggingEventListenerProviderFactory)", () => {
    const internalTypes = new Set(demo.store.allUserEvents("internal").map((e) => e.type));
    expect(internalTypes.has("REFRESH_TOKEN")).toBe(false);
    expect(internalTypes.has("CODE_TO_TOKEN")).toBe(true);
    const acmeTypes = new Set(demo.store.allUserEvents("acme").map((e) => e.type));
    expect(acmeTypes.has("REFRESH_TOKEN_ERROR")).toBe(true);
    expect(acmeTypes.has("REFRESH_TOKEN")).toBe(false);
    // Successes are logged at DEBUG, errors at WARN, and the server's root level is INFO.
    const log = demo.eventLog();
    expect(log.length).toBeGreaterThan(100);
    for (const line of log)
      expect(line).toMatch(/^\S+ \S+ WARN {2}\[org\.keycloak\.events\] .*(?:type="\w+_ERROR"|error=")/);
    expect(log.some((l) => l.includes('type="LOGIN_ERROR"'))).toBe(true);
  });

  it("logs userinfo refusals with no body, the error being only in WWW-Authenticate (UserInfoEndpoint)", () => {
    const refused = demo
      .accessLog()
      .filter((l) => / "GET \/realms\/\w+\/protocol\/openid-connect\/userinfo HTTP\/1\.1" 40[13] /.test(l));
    expect(refused.length).toBeGreaterThan(0);
    for (const l of refused) expect(l).toMatch(/ 40[13] - /);
  });

  it("writes the event log and the access log in time order, across realms", () => {
    const sortedBy = (lines: string[], stamp: (l: string) => number) =>
      lines.every((l, i) => i === 0 || stamp(l) >= stamp(lines[i - 1]!));
    const eventStamp = (l: string) => Date.parse(`${l.slice(0, 10)}T${l.slice(11, 23).replace(",", ".")}Z`);
    const history = demo.eventLog().filter((l) => eventStamp(l) < NOW);
    expect(history.length).toBeGreaterThan(100);
    expect(sortedBy(history, eventStamp)).toBe(true);
    const months: Record<string, number> = { Nov: 10, Oct: 9 };
    const accessStamp = (l: string) => {
      const m = /\[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)/.exec(l)!;
      return Date.UTC(Number(m[3]), months[m[2]!]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
    };
    expect(
      sortedBy(
        demo.accessLog().filter((l) => accessStamp(l) < NOW),
        accessStamp,
      ),
    ).toBe(true);
  });

  it("contains hostile strings a UI must escape", () => {
    const events = demo.store.allUserEvents("acme");
    expect(events.some((e) => e.details?.username === "<img src=x onerror=alert(1)>")).toBe(true);
    expect(events.some((e) => e.details?.username?.includes("<script>"))).toBe(true);
  });

  it("signs the reports' tokens with the key the certs endpoint publishes", async () => {
    const certs = (await call(demo, "GET", "/realms/acme/protocol/openid-connect/certs")).body as {
      keys: Array<Record<string, string>>;
    };
    const key = createPublicKey({ key: certs.keys[0]!, format: "jwk" });
    const report = demo.reports()[0]!;
    const [h, p, sig] = report.token.split(".") as [string, string, string];
    expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(sig, "base64url"))).toBe(true);
  });

  it("is the same for the same seed and clock", async () => {
    const opts = { seed: 99, traffic: { days: 2, eventsPerDay: 300, live: false, now: () => NOW } };
    const [a, b] = await Promise.all([startDemoKeycloak(opts), startDemoKeycloak(opts)]);
    try {
      expect(a.store.allUserEvents("retail")).toEqual(b.store.allUserEvents("retail"));
      expect(a.store.allAdminEvents("acme")).toEqual(b.store.allAdminEvents("acme"));
      expect(a.accessLog().slice(0, 500)).toEqual(b.accessLog().slice(0, 500));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);
});

describe("live traffic", () => {
  it("keeps an incident going until the cause is fixed, then ends it", async () => {
    clock.t = NOW + 30 * 60_000;
    demo.tick();
    const userinfoErrors = (from: number) =>
      demo.store
        .allUserEvents("acme")
        .filter(
          (e) =>
            e.time > from &&
            e.type === "USER_INFO_REQUEST_ERROR" &&
            e.details?.reason === "Missing openid scope",
        ).length;
    expect(userinfoErrors(NOW)).toBeGreaterThan(0);
    expect(
      (
        await call(demo, "POST", "/__demo/apps/acme/acme-spa", {
          json: { requestedScope: "openid profile email" },
        })
      ).status,
    ).toBe(200);
    const fixedAt = clock.t;
    clock.t += 60 * 60_000;
    demo.tick();
    expect(userinfoErrors(fixedAt)).toBe(0);
    expect(demo.incidents().find((i) => i.id === "userinfo-missing-openid")!.end).toBe(clock.t);
  });
});

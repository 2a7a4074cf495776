import { describe, expect, it } from "vitest";
import { classifyAdminChange } from "@/lib/analytics/admin-change";
import {
  type AdminEventInput,
  correlateAdminEvents,
  type SpikeContext,
} from "@/lib/analytics/admin-correlation";
import { CAUSE_IDS } from "@/lib/classify/causes";

const ONSET = Date.parse("2026-06-02T14:00:00Z");
const MIN = 60_000;
const ALICE = "6f1c2a7e-0b1d-4c55-9d0a-3e2b8f1a9c01";
const BOB = "9a8b7c6d-1111-4222-8333-444455556666";
const CAROL = "c0c0c0c0-1111-4222-8333-444455556666";
const ORDERS_UI = "1d2e3f40-aaaa-4bbb-8ccc-0123456789ab";
const ORDERS_API = "5e6f7a80-aaaa-4bbb-8ccc-0123456789ab";

const spikeOf = (cause: string, extra: Partial<SpikeContext> = {}): SpikeContext => ({
  onset: ONSET,
  causes: [{ cause, share: 1 }],
  clients: [{ clientId: "orders-ui", uuid: ORDERS_UI, share: 0.9 }],
  users: [
    { userId: ALICE, username: "alice", share: 0.7 },
    { userId: BOB, username: "bob", share: 0.3 },
  ],
  ...extra,
});

let nextId = 0;
const admin = (
  minutesBefore: number,
  operationType: string,
  resourcePath: string | null,
  extra: Partial<AdminEventInput> = {},
): AdminEventInput => ({
  id: `ae-${++nextId}`,
  time: ONSET - minutesBefore * MIN,
  operationType,
  resourcePath,
  ...extra,
});

describe("classifyAdminChange", () => {
  const cases = [
    ["DELETE", `users/${ALICE}/role-mappings/realm`, null, "user-role-mapping-removed"],
    ["CREATE", `users/${ALICE}/role-mappings/clients/${ORDERS_API}`, null, "user-role-mapping-added"],
    ["DELETE", `users/${ALICE}/groups/g1`, null, "user-group-left"],
    ["UPDATE", `users/${ALICE}`, "USER", "user-updated"],
    ["ACTION", `users/${ALICE}/reset-password`, "USER", "user-credentials-changed"],
    ["ACTION", `users/${ALICE}/logout`, "USER", "user-sessions-ended"],
    ["DELETE", `attack-detection/brute-force/users/${ALICE}`, null, "user-lockout-cleared"],
    ["ACTION", `clients/${ORDERS_UI}/client-secret`, "CLIENT", "client-secret-changed"],
    ["UPDATE", `clients/${ORDERS_UI}`, "CLIENT", "client-updated"],
    ["DELETE", `clients/${ORDERS_UI}`, "CLIENT", "client-deleted"],
    ["DELETE", `clients/${ORDERS_UI}/roles/orders-read`, "CLIENT_ROLE", "client-role-changed"],
    ["CREATE", `clients/${ORDERS_UI}/protocol-mappers/models/m1`, "PROTOCOL_MAPPER", "client-mapper-changed"],
    [
      "DELETE",
      `clients/${ORDERS_UI}/scope-mappings/realm`,
      "REALM_SCOPE_MAPPING",
      "client-scope-mapping-changed",
    ],
    ["DELETE", `clients/${ORDERS_UI}/default-client-scopes/s1`, "CLIENT", "client-scopes-assigned-changed"],
    [
      "UPDATE",
      `clients/${ORDERS_UI}/authz/resource-server/policy/p1`,
      "AUTHORIZATION_POLICY",
      "client-authz-changed",
    ],
    ["UPDATE", null, "REALM", "realm-updated"],
    ["UPDATE", "events/config", "REALM", "events-config-changed"],
    ["DELETE", "roles/orders-admin", "REALM_ROLE", "realm-role-changed"],
    ["DELETE", "groups/g1/role-mappings/realm", "REALM_ROLE_MAPPING", "group-changed"],
    ["UPDATE", "client-scopes/s1", "CLIENT_SCOPE", "client-scope-changed"],
    ["DELETE", "default-default-client-scopes/s1", "REALM", "realm-default-scopes-changed"],
    ["DELETE", "components/k1", "COMPONENT", "component-changed"],
    ["ACTION", "logout-all", "REALM", "realm-sessions-ended"],
    ["UPDATE", "localization/en/key", "REALM_LOCALIZATION", "other"],
  ] as const;
  for (const [operationType, resourcePath, resourceType, kind] of cases) {
    it(`${operationType} ${resourcePath ?? "(no path)"} is ${kind}`, () => {
      expect(classifyAdminChange({ operationType, resourcePath, resourceType }).kind).toBe(kind);
    });
  }

  it("keeps the ids Keycloak put in the path", () => {
    expect(
      classifyAdminChange({
        operationType: "DELETE",
        resourcePath: `users/${ALICE}/role-mappings/clients/${ORDERS_API}`,
      }),
    ).toEqual({ kind: "user-role-mapping-removed", userId: ALICE, roleClientUuid: ORDERS_API });
  });

  it("never throws on odd input", () => {
    for (const resourcePath of ["", "/", "clients", "clients/constructor/__proto__", "x".repeat(10_000)]) {
      expect(() => classifyAdminChange({ operationType: "toString", resourcePath })).not.toThrow();
    }
    expect(classifyAdminChange({ operationType: "UPDATE", resourcePath: "clients/x/constructor" }).kind).toBe(
      "client-updated",
    );
  });
});

describe("correlateAdminEvents", () => {
  it("puts the removed role mapping of the most affected user first, with a reason a person can act on", () => {
    const removal = admin(40, "DELETE", `users/${ALICE}/role-mappings/clients/${ORDERS_API}`, {
      resourceType: "CLIENT_ROLE_MAPPING",
      representation: JSON.stringify([
        { id: "r1", name: "orders-read", clientRole: true, containerId: ORDERS_API },
      ]),
    });
    const events = [
      removal,
      admin(10, "UPDATE", `users/${CAROL}`, { resourceType: "USER" }),
      admin(5, "ACTION", `clients/${ORDERS_UI}/client-secret`, { resourceType: "CLIENT" }),
      admin(180, "DELETE", "roles/orders-admin", { resourceType: "REALM_ROLE" }),
      admin(-120, "DELETE", `users/${BOB}/role-mappings/realm`),
      admin(30 * 60, "DELETE", `users/${BOB}/role-mappings/realm`),
    ];
    const ranked = correlateAdminEvents(spikeOf("missing-role"), events);
    expect(ranked.map((r) => r.kind)).toEqual(["user-role-mapping-removed", "realm-role-changed"]);
    expect(ranked[0]?.adminEventId).toBe(removal.id);
    expect(ranked[0]?.reason).toBe(
      "Role mapping removed from user alice (orders-read) 40 minutes before the spike; a removed role mapping takes the role out of the user's next tokens. The user accounts for 70% of the increase.",
    );
  });

  const expectations = [
    ["missing-role", "user-role-mapping-removed"],
    ["missing-scope", "client-scopes-assigned-changed"],
    ["wrong-audience", "client-mapper-changed"],
    ["proxy-misconfig", "realm-updated"],
    ["cors", "client-updated"],
    ["redirect-uri", "client-updated"],
    ["token-expired", "realm-updated"],
    ["session-invalid", "realm-sessions-ended"],
    ["client-auth", "client-secret-changed"],
    ["client-config", "client-updated"],
    ["user-credentials", "user-credentials-changed"],
    ["user-state", "user-updated"],
    ["authz-policy", "client-authz-changed"],
  ] as const;

  it("has an expectation for every cause but unknown", () => {
    expect(expectations.map(([cause]) => cause).sort()).toEqual(
      CAUSE_IDS.filter((c) => c !== "unknown").sort(),
    );
  });

  for (const [cause, kind] of expectations) {
    it(`explains a ${cause} spike first by ${kind}`, () => {
      const sameTime = 20;
      const events = [
        admin(sameTime, "DELETE", `users/${ALICE}/role-mappings/realm`),
        admin(sameTime, "UPDATE", `users/${ALICE}`, { resourceType: "USER" }),
        admin(sameTime, "ACTION", `users/${ALICE}/reset-password`),
        admin(sameTime, "ACTION", `clients/${ORDERS_UI}/client-secret`),
        admin(sameTime, "UPDATE", `clients/${ORDERS_UI}`, { resourceType: "CLIENT" }),
        admin(sameTime, "CREATE", `clients/${ORDERS_UI}/protocol-mappers/models/m1`),
        admin(sameTime, "DELETE", `clients/${ORDERS_UI}/default-client-scopes/s1`),
        admin(sameTime, "UPDATE", `clients/${ORDERS_UI}/authz/resource-server/policy/p1`),
        admin(sameTime, "UPDATE", null, { resourceType: "REALM" }),
        admin(sameTime, "ACTION", "logout-all", { resourceType: "REALM" }),
      ];
      expect(correlateAdminEvents(spikeOf(cause), events)[0]?.kind).toBe(kind);
    });
  }

  it("ranks the same change lower the longer before the spike it happened", () => {
    const events = [
      admin(10, "DELETE", `users/${ALICE}/role-mappings/realm`),
      admin(12 * 60 + 10, "DELETE", `users/${ALICE}/role-mappings/realm`),
    ];
    const [recent, older] = correlateAdminEvents(spikeOf("missing-role"), events);
    expect(recent?.time).toBe(events[0]?.time);
    expect(older?.reason).toContain("12 hours before the spike");
    expect((older?.score ?? 0) / (recent?.score ?? 1)).toBeCloseTo(0.25, 2);
  });

  it("uses the previous representation to tell which client settings changed", () => {
    const before = {
      id: ORDERS_UI,
      clientId: "orders-ui",
      redirectUris: ["https://orders.example/*"],
      webOrigins: ["+"],
    };
    const after = { ...before, redirectUris: ["https://orders.example.com/*"] };
    const events = [
      admin(300, "UPDATE", `clients/${ORDERS_UI}`, { representation: JSON.stringify(before) }),
      admin(15, "UPDATE", `clients/${ORDERS_UI}`, { representation: JSON.stringify(after) }),
    ];
    const [forRedirect] = correlateAdminEvents(spikeOf("redirect-uri"), events);
    expect(forRedirect?.changedFields).toEqual(["redirectUris"]);
    expect(forRedirect?.reason).toMatch(
      /^Client orders-ui updated \(redirectUris\) 15 minutes before the spike; /,
    );
    const [forCors] = correlateAdminEvents(spikeOf("cors"), events.slice(1), {});
    const forCorsWithDiff = correlateAdminEvents(spikeOf("cors"), events).find(
      (r) => r.adminEventId === events[1]?.id,
    );
    expect(forCorsWithDiff?.changedFields).toEqual(["redirectUris"]);
    expect(forCorsWithDiff?.score).toBeLessThan((forCors?.score ?? 0) * 0.5);
  });

  it("does not compare role-mapping representations as if they were settings", () => {
    const removal = (minutes: number, role: string) =>
      admin(minutes, "DELETE", `users/${ALICE}/role-mappings/realm`, {
        representation: JSON.stringify([{ name: role }]),
      });
    const [second, first] = correlateAdminEvents(spikeOf("missing-role"), [
      removal(30, "a"),
      removal(10, "b"),
    ]);
    expect(second?.changedFields).toBeUndefined();
    expect(second?.score).toBeGreaterThan(first?.score ?? 1);
    expect(second?.reason).toMatch(/^Role mapping removed from user alice \(b\) 10 minutes before/);
  });

  it("matches a client by the clientId in its representation when the spike has no UUID", () => {
    const spike = spikeOf("client-auth", { clients: [{ clientId: "orders-ui", share: 1 }] });
    const other = "77777777-aaaa-4bbb-8ccc-0123456789ab";
    const events = [
      admin(20, "UPDATE", `clients/${ORDERS_UI}`, {
        representation: JSON.stringify({ id: ORDERS_UI, clientId: "orders-ui" }),
      }),
      admin(20, "ACTION", `clients/${ORDERS_UI}/client-secret`),
      admin(20, "ACTION", `clients/${other}/client-secret`),
    ];
    const ranked = correlateAdminEvents(spike, events);
    expect(ranked[0]?.reason).toMatch(
      /^Credentials of client orders-ui regenerated 20 minutes before the spike/,
    );
    expect(ranked.find((r) => r.resourcePath?.includes(other))?.score ?? 0).toBeLessThan(
      ranked[0]?.score ?? 0,
    );
  });

  it("flags a just-enabled event type as the likely reason failures appear", () => {
    const spike = spikeOf("missing-scope", {
      eventTypes: ["USER_INFO_REQUEST_ERROR"],
      clients: [],
      users: [],
    });
    const config = { eventsEnabled: true, enabledEventTypes: ["LOGIN_ERROR", "USER_INFO_REQUEST_ERROR"] };
    const [top] = correlateAdminEvents(spike, [
      admin(5, "UPDATE", "events/config", { resourceType: "REALM", representation: JSON.stringify(config) }),
      admin(5, "UPDATE", "client-scopes/s1", { resourceType: "CLIENT_SCOPE" }),
    ]);
    expect(top?.kind).toBe("events-config-changed");
    expect(top?.reason).toContain("may only now be recorded");
  });

  it("survives hostile admin events", () => {
    const events: AdminEventInput[] = [
      admin(5, "UPDATE", `clients/${ORDERS_UI}`, { representation: "{not json" }),
      admin(5, "DELETE", `users/${ALICE}/role-mappings/realm`, { representation: '"a string"' }),
      admin(5, "__proto__", "__proto__/constructor"),
      {
        id: "nan",
        time: Number.NaN,
        operationType: "DELETE",
        resourcePath: `users/${ALICE}/role-mappings/realm`,
      },
    ];
    const ranked = correlateAdminEvents(spikeOf("missing-role"), events);
    expect(ranked.map((r) => r.adminEventId)).not.toContain("nan");
    expect(ranked[0]?.reason).toMatch(/^Role mapping removed from user alice 5 minutes before the spike/);
  });
});

import { describe, expect, it } from "vitest";

process.env.REALMWATCH_SECRET_KEY ??= "unit-tests-only-k3Y8vQ2mR7xN4bW9cT1z";
const { forViewer } = await import("@/lib/auth/viewer-boundary");
const { openOpaqueUserId } = await import("@/lib/auth/opaque-id");

const MARCO = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
const answer = {
  realm: "acme",
  pattern: { id: "2e29a0b0-75cd-4c5e-b051-b899bb382c8e", scopeKind: "user", cause: "missing-role" },
  events: [
    {
      userId: MARCO,
      username: "marco.rossi",
      ipAddress: "203.0.113.42",
      clientId: "acme-orders-api",
      details: {
        reason: "no user matches the username chloenguyen",
        redirect_uri: "https://shop.example/cb",
        email: "marco@example.org",
        user_agent: "Mozilla/5.0 (X11) marco-laptop",
      },
      representation: '{"username":"marco.rossi"}',
      evidence: `403 on GET /admin/realms/acme/users/${MARCO}/role-mappings from 203.0.113.42 for marco.rossi`,
      fixHref: `/fixes/missing-role?realm=acme&user=${MARCO}&client=acme-orders-api`,
      userHref: `/users/acme/${MARCO}?range=7d`,
      consoleHref: `https://sso.example.com/admin/master/console/#/acme/users/${MARCO}/role-mapping`,
    },
  ],
  contributors: [
    ["user", MARCO, 12],
    ["ip", "198.51.100.7", 3],
  ],
  suspect: { by: "root-admin", reason: "Realm role orders-admin removed from user marco.rossi." },
};

describe("the viewer boundary", () => {
  it("gives analysts and admins the answer as it is", async () => {
    for (const role of ["analyst", "admin"] as const) expect(await forViewer(answer, role)).toBe(answer);
  });

  it("leaves a viewer no raw username, e-mail, user id or full address, anywhere", async () => {
    const out = await forViewer(answer, "viewer");
    const text = JSON.stringify(out);
    for (const raw of [
      MARCO,
      "marco.rossi",
      "marco@example.org",
      "203.0.113.42",
      "198.51.100.7",
      "root-admin",
      "chloenguyen",
      "marco-laptop",
    ]) {
      expect(text, raw).not.toContain(raw);
    }
  });

  it("keeps what is not personal, and links that still lead to the same user", async () => {
    const out = await forViewer(answer, "viewer");
    const [event] = out.events;
    expect(out.pattern.id).toBe(answer.pattern.id);
    expect(event?.clientId).toBe("acme-orders-api");
    expect(event?.details.redirect_uri).toBe("https://shop.example/cb");
    expect(event?.ipAddress).toBe("203.0.x.x");
    const opaque = event?.userId ?? "";
    expect(openOpaqueUserId(opaque)).toBe(MARCO);
    expect(event?.userHref).toBe(`/users/acme/${opaque}?range=7d`);
    const fix = new URL(event?.fixHref ?? "", "http://x").searchParams;
    expect(fix.get("user")).toBe(opaque);
    expect(fix.get("client")).toBe("acme-orders-api");
    expect(event?.details.email).toBe("•••");
    expect(out.contributors[0]).toEqual(["user", opaque, 12]);
    expect(event?.consoleHref).toBe(
      `https://sso.example.com/admin/master/console/#/acme/users/${opaque}/role-mapping`,
    );
    expect(event?.evidence).toContain(`/users/${opaque}/role-mappings`);
    expect(out.suspect.reason).toBe("Realm role orders-admin removed from user m•••.");
  });
});

describe("scrubbing free text for a viewer", () => {
  it("masks a known name where it stands as a word, and leaves words that only contain it", async () => {
    const { scrubText } = await import("@/lib/auth/viewer-boundary");
    const seen = { userIds: new Set<string>(), names: new Set(["anna", "marco.rossi"]) };
    expect(scrubText("Role removed from user marco.rossi. Ask anna, or run --hostname-anna.", seen)).toBe(
      "Role removed from user m•••. Ask a•••, or run --hostname-anna.",
    );
    expect(scrubText("Login cookie lost between requests", seen)).toBe("Login cookie lost between requests");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opaqueUserId } from "@/lib/auth/opaque-id";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { getUserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { loadUserPage } from "@/lib/screens/drilldown/load-user-page";
import { eventRow, SOURCE_ID, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../../helpers/db";

const sql = testSql();
const USER = "0b6c3d1e-7a44-4e1f-9c2d-5a6b7c8d9e0f";
const NOW = Date.parse("2026-10-02T12:00:00Z");
const at = (minutesAgo: number) => NOW - minutesAgo * 60_000;
let n = 0;
const ev = (minutesAgo: number, over: Partial<UserEventRow>) =>
  eventRow({
    id: `s${++n}`,
    time: at(minutesAgo),
    userId: USER,
    error: null,
    isFailure: false,
    cause: null,
    ...over,
  });

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE_ID}, 'sessions', now())`;
  await seedUserEvents(sql, [
    ev(300, { type: "LOGIN", clientId: "orders-ui" }),
    // 26.5+: Keycloak removed sessions by itself, with the reason as a detail.
    ev(200, { type: "USER_SESSION_DELETED", clientId: null, details: { reason: "expired" } }),
    ev(190, { type: "USER_SESSION_DELETED", clientId: null, details: { reason: "expired" } }),
    ev(180, { type: "USER_SESSION_DELETED", clientId: null, details: { reason: "invalid" } }),
    // IMPERSONATE carries impersonator and impersonator_realm; 26.8 adds the impersonator to token events.
    ev(120, {
      type: "IMPERSONATE",
      clientId: "security-admin-console",
      details: { impersonator: "ops.admin", impersonator_realm: "master" },
    }),
    ev(110, {
      type: "CODE_TO_TOKEN",
      clientId: "orders-ui",
      details: { impersonator: "ops.admin", impersonator_realm: "master", impersonator_id: "8e1f0000-1111" },
    }),
    ev(100, { type: "REFRESH_TOKEN", clientId: "orders-ui", details: { refresh_token_type: "Refresh" } }),
  ]);
});
afterAll(async () => {
  await sql.end();
});

const range = { from: NOW - 24 * 3_600_000, to: NOW };

describe("the user drill-down shows ended sessions and impersonation", () => {
  it("counts USER_SESSION_DELETED by reason and lists who impersonated the user", async () => {
    const d = await getUserDrilldown(sql, { realm: "acme", userId: USER, range });
    expect(d.failures).toBe(0);
    expect(d.sessionsDeleted).toEqual([
      { reason: "expired", count: 2, lastAt: at(190) },
      { reason: "invalid", count: 1, lastAt: at(180) },
    ]);
    expect(d.impersonations).toEqual([
      {
        impersonator: {
          impersonator: "ops.admin",
          impersonator_realm: "master",
          impersonator_id: "8e1f0000-1111",
        },
        events: 1,
        lastAt: at(110),
      },
      {
        impersonator: { impersonator: "ops.admin", impersonator_realm: "master" },
        events: 1,
        lastAt: at(120),
      },
    ]);
    const byType = Object.fromEntries(d.events.map((e) => [e.type, e]));
    expect(byType.USER_SESSION_DELETED?.sessionEndReason).toBe("expired");
    expect(byType.CODE_TO_TOKEN?.impersonator).toMatchObject({ impersonator: "ops.admin" });
    expect(byType.REFRESH_TOKEN?.impersonator).toBeNull();
    expect(byType.LOGIN?.sessionEndReason).toBeNull();
  });

  it("masks the impersonator for viewers, every key but the realm", async () => {
    // A viewer reaches a user through realmwatch's own links, which carry the opaque id.
    const page = await loadUserPage(
      sql,
      "viewer",
      { realm: "acme", userId: opaqueUserId(USER) },
      { range: "24h" },
      NOW,
    );
    expect(page.drilldown.impersonations[0]?.impersonator).toEqual({
      impersonator: "o•••",
      impersonator_realm: "master",
      impersonator_id: "8e1f•••",
    });
    const text = JSON.stringify(page.drilldown);
    expect(text).not.toMatch(/ops\.admin|8e1f0000-1111/);
    const admin = await loadUserPage(sql, "admin", { realm: "acme", userId: USER }, { range: "24h" }, NOW);
    expect(admin.drilldown.impersonations[0]?.impersonator.impersonator).toBe("ops.admin");
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { writeAdminEvents } from "@/lib/ingest/write/write-events";
import type { AdminEventRow } from "@/lib/keycloak/event-rows";
import { loadClientPage } from "@/lib/screens/drilldown/load-client-page";
import { loadUserPage } from "@/lib/screens/drilldown/load-user-page";
import { loadAdminEventsPage } from "@/lib/screens/events/load-events-page";
import { type NamedPart, partsText } from "@/lib/screens/names/named-parts";
import { loadPatternPage } from "@/lib/screens/patterns/load-pattern-page";
import { testDatabaseUrl, testSql, truncateAll } from "../../helpers/db";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
const { loadPatternList } = await import("@/lib/screens/patterns/load-pattern-list");
const { GET: getPattern } = await import("@/app/api/patterns/[id]/route");

/**
 * Names, not ids: admin events, timelines and suspects name the admin (who lives in master), the users, clients
 * and objects they touched, from the names realmwatch learnt; renamed users show their latest name, deleted ones
 * their last known; viewers get usernames masked.
 */
const sql = testSql();
const SOURCE = "5a0e0000-0000-4000-8000-000000000001";
const MASTER_ID = "0a570000-0000-4000-8000-00000000aaaa";
const ACME_ID = "acae0000-0000-4000-8000-00000000bbbb";
const ADMIN = "ad000000-0000-4000-8000-000000000001";
const LOCAL_ADMIN = "ad000000-0000-4000-8000-000000000002";
const STRANGER = "ad000000-0000-4000-8000-000000000003";
const USER = "05e40000-0000-4000-8000-000000000001";
const GONE_USER = "05e40000-0000-4000-8000-000000000002";
const CLIENT = "c1000000-0000-4000-8000-000000000001";
const OLD_CLIENT = "c1000000-0000-4000-8000-000000000002";
const HOUR = 3_600_000;
const NOW = Date.parse("2026-05-04T12:00:00Z");
const PATTERN = "9a770000-0000-4000-8000-000000000001";
const USER_PATTERN = "9a770000-0000-4000-8000-000000000002";

function adminEvent(over: Partial<AdminEventRow> & Pick<AdminEventRow, "id" | "time">): AdminEventRow {
  return {
    sourceId: SOURCE,
    realm: "acme",
    realmId: ACME_ID,
    authRealmId: MASTER_ID,
    authClientId: null,
    authUserId: ADMIN,
    authIpAddress: "192.0.2.10",
    operationType: "UPDATE",
    resourceType: "USER",
    resourcePath: null,
    representation: null,
    error: null,
    details: null,
    origin: "api",
    ...over,
  };
}

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE}, 'names', now())`;
  await sql`
    insert into realms (source_id, name, keycloak_id, client_ids) values
      (${SOURCE}, 'master', ${MASTER_ID}, null),
      (${SOURCE}, 'acme', ${ACME_ID}, ${sql.json({ [CLIENT]: "acme-orders-api" })})`;
  const at = (ms: number) => new Date(NOW - ms).toISOString();
  await sql`
    insert into user_names (source_id, realm, user_id, username, email, first_seen, last_seen) values
      (${SOURCE}, 'master', ${ADMIN}, 'old.admin', null, ${at(900 * HOUR)}, ${at(500 * HOUR)}),
      (${SOURCE}, 'master', ${ADMIN}, 'ops.admin', null, ${at(400 * HOUR)}, ${at(10 * HOUR)}),
      (${SOURCE}, 'acme', ${LOCAL_ADMIN}, 'admin', null, ${at(400 * HOUR)}, ${at(10 * HOUR)}),
      (${SOURCE}, 'acme', ${USER}, 'marco.rossi', null, ${at(400 * HOUR)}, ${at(10 * HOUR)})`;
  await sql`
    insert into entity_names (source_id, realm, kind, id, name, seen_at) values
      (${SOURCE}, 'acme', 'user', ${GONE_USER}, 'gone.user', ${at(300 * HOUR)}),
      (${SOURCE}, 'acme', 'client', ${OLD_CLIENT}, 'legacy-portal', ${at(300 * HOUR)})`;
  await writeAdminEvents(sql, [
    adminEvent({
      id: "e1",
      time: NOW - HOUR,
      operationType: "DELETE",
      resourceType: "CLIENT_ROLE_MAPPING",
      resourcePath: `users/${USER}/role-mappings/clients/${CLIENT}`,
    }),
    adminEvent({
      id: "e2",
      time: NOW - 2 * HOUR,
      authRealmId: ACME_ID,
      authUserId: LOCAL_ADMIN,
      resourcePath: `users/${GONE_USER}`,
    }),
    adminEvent({
      id: "e3",
      time: NOW - 3 * HOUR,
      authRealmId: "0a570000-0000-4000-8000-0000000000ff",
      authUserId: STRANGER,
      resourceType: "CLIENT",
      resourcePath: `clients/${OLD_CLIENT}`,
    }),
    adminEvent({
      id: "e4",
      time: NOW - 4 * HOUR,
      operationType: "ACTION",
      resourceType: "CLIENT",
      resourcePath: `clients/${CLIENT}/client-secret`,
    }),
  ]);
  const suspects = [
    // As patterns detected before suspects were named stored them: no resourceName, no admin, ids in the reason.
    {
      adminEventId: "e1",
      time: NOW - HOUR,
      operationType: "DELETE",
      resourceType: "CLIENT_ROLE_MAPPING",
      resourcePath: `users/${USER}/role-mappings/clients/${CLIENT}`,
      kind: "user-role-mapping-removed",
      score: 0.9,
      reason: `Role mapping removed from user marco.rossi 20 minutes before the spike; roles of client ${CLIENT} decide it.`,
    },
    // An admin event retention removed since: the stored names are all there is.
    {
      adminEventId: "gone",
      time: NOW - 5 * HOUR,
      operationType: "UPDATE",
      resourceType: "CLIENT",
      resourcePath: `clients/${OLD_CLIENT}`,
      resourceName: `client ${OLD_CLIENT}`,
      by: "former.admin",
      kind: "client-updated",
      score: 0.3,
      reason: `Client ${OLD_CLIENT} updated 4 hours before the spike.`,
    },
  ];
  await sql`
    insert into patterns (id, source_id, realm, cause, scope_kind, scope_value, client_id, user_id, status, first_seen,
                          last_seen, event_count, affected_users, suspected_changes)
    values
      (${PATTERN}, ${SOURCE}, 'acme', 'missing-role', 'client', 'acme-spa', 'acme-spa', null, 'ongoing',
       ${new Date(NOW - 40 * 60_000)}, ${new Date(NOW)}, 120, 3, ${sql.json(suspects)}),
      (${USER_PATTERN}, ${SOURCE}, 'acme', 'user-state', 'user', ${USER}, null, ${USER}, 'open',
       ${new Date(NOW - HOUR)}, ${new Date(NOW)}, 40, 1, null)`;
});

afterAll(async () => {
  await sql.end();
  await closeSql();
});

const text = (parts: readonly NamedPart[]) => partsText(parts);

describe("admin events by name", () => {
  it("name the admin from the realm they sign in to, the local admin, and leave an unknown admin an id", async () => {
    const page = await loadAdminEventsPage(sql, "admin", { realm: "acme", range: "24h" }, NOW);
    const byId = Object.fromEntries(page.events.map((e) => [e.id, e]));
    expect(byId.e1?.admin).toEqual({ name: "ops.admin", id: ADMIN, realm: "master" });
    expect(byId.e2?.admin).toEqual({ name: "admin", id: LOCAL_ADMIN, realm: "acme" });
    expect(byId.e3?.admin).toEqual({ name: null, id: STRANGER, realm: null });
    expect(text(byId.e1!.resource)).toBe("users/marco.rossi/role-mappings/clients/acme-orders-api");
    // A deleted user and a deleted client keep their last known names.
    expect(text(byId.e2!.resource)).toBe("users/gone.user");
    expect(text(byId.e3!.resource)).toBe("clients/legacy-portal");
    // Keycloak's own fields stay as they were.
    expect(byId.e1?.resourcePath).toBe(`users/${USER}/role-mappings/clients/${CLIENT}`);
  });

  it("mask usernames for viewers, admins' and users' alike, and not client names", async () => {
    const page = await loadAdminEventsPage(sql, "viewer", { realm: "acme", range: "24h" }, NOW);
    const byId = Object.fromEntries(page.events.map((e) => [e.id, e]));
    expect(byId.e1?.admin?.name).toBe("o•••");
    expect(byId.e2?.admin?.name).toBe("a•••");
    expect(text(byId.e1!.resource)).toBe("users/m•••/role-mappings/clients/acme-orders-api");
    expect(text(byId.e2!.resource)).toBe("users/g•••");
    expect(JSON.stringify(page.events)).not.toMatch(/ops\.admin|marco\.rossi|gone\.user/);
  });

  it("name the admin on a user's and a client's timeline; the client is found through the realm's client list", async () => {
    const user = await loadUserPage(sql, "admin", { realm: "acme", userId: USER }, { range: "24h" }, NOW);
    expect(user.drilldown.adminEvents.map((a) => [a.id, a.admin?.name, text(a.resource)])).toEqual([
      ["e1", "ops.admin", "users/marco.rossi/role-mappings/clients/acme-orders-api"],
    ]);
    const client = await loadClientPage(
      sql,
      "admin",
      { realm: "acme", clientId: "acme-orders-api" },
      { range: "24h" },
      NOW,
    );
    expect(client.drilldown.uuids).toEqual([CLIENT]);
    expect(client.drilldown.adminEvents.map((a) => [a.id, a.admin?.name, text(a.resource)])).toEqual([
      ["e4", "ops.admin", "clients/acme-orders-api/client-secret"],
    ]);
  });
});

describe("suspects by name", () => {
  it("name what changed and who changed it, for suspects stored before they were named too", async () => {
    const page = await loadPatternPage(sql, "admin", PATTERN, {}, NOW);
    const [top, second] = page.suspects;
    expect(text(top!.what)).toBe("role mappings of client acme-orders-api of user marco.rossi");
    expect(text(top!.summary)).toBe("Role mappings of client acme-orders-api of user marco.rossi removed");
    expect(text(top!.path)).toBe("users/marco.rossi/role-mappings/clients/acme-orders-api");
    expect(top!.by).toEqual({ name: "ops.admin", id: ADMIN, realm: "master" });
    expect(text(top!.reason)).toBe(
      "Role mapping removed from user marco.rossi 20 minutes before the spike; roles of client acme-orders-api decide it.",
    );
    expect(top!.verb).toBe("removed");
    // The admin event is gone: the admin named at detection stands; the client id in the stored name is named.
    expect(text(second!.what)).toBe("client legacy-portal");
    expect(text(second!.summary)).toBe("Client legacy-portal updated");
    expect(second!.by).toEqual({ name: "former.admin", id: null, realm: null });
    // The JSON API gets the same names in the stored shape, top first.
    expect(page.detail.pattern.suspectedChanges.map((s) => [s.adminEventId, s.by, s.resourceName])).toEqual([
      ["e1", "ops.admin", "role mappings of client acme-orders-api of user marco.rossi"],
      ["gone", "former.admin", "client legacy-portal"],
    ]);
  });

  it("mask the usernames in the reason, the stored admin and the path for viewers", async () => {
    const page = await loadPatternPage(sql, "viewer", PATTERN, {}, NOW);
    const [top, second] = page.suspects;
    expect(text(top!.reason)).toBe(
      "Role mapping removed from user m••• 20 minutes before the spike; roles of client acme-orders-api decide it.",
    );
    expect(top!.by?.name).toBe("o•••");
    expect(second!.by?.name).toBe("f•••");
    expect(JSON.stringify({ suspects: page.suspects, detail: page.detail.pattern })).not.toMatch(
      /marco\.rossi|ops\.admin|former\.admin/,
    );
  });

  it("are the pattern API's suspects, top first, and its topSuspect", async () => {
    testDatabaseUrl();
    const res = await getPattern(new Request(`http://localhost/api/patterns/${PATTERN}`), {
      params: Promise.resolve({ id: PATTERN }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      suspects: { adminEventId: string; by: string }[];
      topSuspect: unknown;
    };
    expect(body.suspects.map((s) => [s.adminEventId, s.by])).toEqual([
      ["e1", "ops.admin"],
      ["gone", "former.admin"],
    ]);
    expect(body.topSuspect).toEqual(body.suspects[0]);
  });

  it("name the user a pattern is scoped to and each list row's top suspect", async () => {
    const list = await loadPatternList(sql, "admin", {}, { statuses: [], sort: "last-seen", limit: 10 });
    const byId = Object.fromEntries(list.patterns.map((p) => [p.id, p]));
    expect(byId[USER_PATTERN]?.scopeName).toBe("marco.rossi");
    expect(byId[PATTERN]?.scopeName).toBe("acme-spa");
    expect(text(byId[PATTERN]!.suspect!.what)).toBe(
      "role mappings of client acme-orders-api of user marco.rossi",
    );
    expect(byId[PATTERN]!.suspect!.by?.name).toBe("ops.admin");
    const page = await loadPatternPage(sql, "admin", USER_PATTERN, {}, NOW);
    expect(page.usernames[USER]).toBe("marco.rossi");
  });
});

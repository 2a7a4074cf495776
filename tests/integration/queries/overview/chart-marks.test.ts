import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePartitions } from "@/lib/db/event-partitions";
import { closeSql } from "@/lib/db/sql";
import { listAdminChangesInRange } from "@/lib/queries/overview/admin-changes-in-range";
import { listPatternsInRange } from "@/lib/queries/patterns/patterns-in-range";
import { testDatabaseUrl, testSql, truncateAll } from "../../helpers/db";

/** What the charts mark: admin changes in a range, and the patterns active in it (to open a spike's pattern). */
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const SOURCE = "5a0e0000-0000-4000-8000-000000000019";
const OTHER = "5a0e0000-0000-4000-8000-000000000020";
const HOUR = 3_600_000;
const T = Date.parse("2026-05-04T12:00:00Z");

beforeAll(async () => {
  await truncateAll(sql);
  // Written straight into the table, not through the writer: its month must exist first.
  await ensurePartitions(sql, "admin_events", [T]);
  const change = (
    source: string,
    realm: string,
    id: string,
    at: number,
    op: string,
    type: string,
    path: string,
  ) =>
    sql`insert into admin_events (source_id, realm, id, time, operation_type, resource_type, resource_path)
        values (${source}, ${realm}, ${id}, ${new Date(at)}, ${op}, ${type}, ${path})`;
  await change(SOURCE, "acme", "a1", T - 2 * HOUR, "UPDATE", "CLIENT", "clients/c-1");
  await change(
    SOURCE,
    "acme",
    "a2",
    T - HOUR,
    "CREATE",
    "REALM_ROLE_MAPPING",
    "users/u-1/role-mappings/realm",
  );
  await change(SOURCE, "acme", "a3", T + HOUR, "UPDATE", "REALM", "");
  await change(SOURCE, "retail", "r1", T - HOUR, "DELETE", "CLIENT", "clients/c-2");
  await change(OTHER, "acme", "o1", T - HOUR, "UPDATE", "CLIENT", "clients/c-3");
  const pattern = (
    realm: string,
    cause: string,
    client: string | null,
    from: number,
    to: number,
    count: number,
  ) =>
    sql`insert into patterns (id, source_id, realm, cause, scope_kind, scope_value, client_id, status, kind,
                              first_seen, last_seen, event_count, affected_users, evidence)
        values (gen_random_uuid(), ${SOURCE}, ${realm}, ${cause}, ${client ? "client" : "realm"}, ${client ?? realm},
                ${client}, 'open', 'acute', ${new Date(from)}, ${new Date(to)}, ${count}, 1, ${`${cause} ${count}`})`;
  await pattern("acme", "cors", "web", T - 3 * HOUR, T - HOUR, 50);
  await pattern("acme", "missing-role", null, T - 2 * HOUR, T, 500);
  await pattern("acme", "cors", "other-app", T - 3 * HOUR, T - HOUR, 70);
  await pattern("acme", "cors", "web", T - 30 * HOUR, T - 20 * HOUR, 900);
  await pattern("retail", "cors", "web", T - 3 * HOUR, T - HOUR, 60);
});

afterAll(async () => {
  await sql.end();
  await closeSql();
});

describe("listAdminChangesInRange", () => {
  it("returns the changes of a source and realm in the range, newest first, each with its kind", async () => {
    const changes = await listAdminChangesInRange(sql, {
      sourceId: SOURCE,
      realm: "acme",
      range: { from: T - 3 * HOUR, to: T + HOUR },
    });
    expect(changes).toEqual([
      {
        time: T - HOUR,
        sourceId: SOURCE,
        realm: "acme",
        operationType: "CREATE",
        resourceType: "REALM_ROLE_MAPPING",
        kind: "user-role-mapping-added",
      },
      {
        time: T - 2 * HOUR,
        sourceId: SOURCE,
        realm: "acme",
        operationType: "UPDATE",
        resourceType: "CLIENT",
        kind: "client-updated",
      },
    ]);
  });

  it("reads every source and realm without a scope, and stops at the limit", async () => {
    const range = { from: T - 3 * HOUR, to: T + 2 * HOUR };
    expect((await listAdminChangesInRange(sql, { range })).length).toBe(5);
    expect((await listAdminChangesInRange(sql, { range, limit: 2 })).map((c) => c.time)).toEqual([
      T + HOUR,
      T - HOUR,
    ]);
  });
});

describe("listPatternsInRange", () => {
  it("returns the patterns active in the range, most failures first", async () => {
    const ps = await listPatternsInRange(sql, {
      sourceId: SOURCE,
      realm: "acme",
      range: { from: T - HOUR, to: T },
    });
    expect(ps.map((p) => [p.cause, p.clientId, p.eventCount])).toEqual([
      ["missing-role", null, 500],
      ["cors", "other-app", 70],
      ["cors", "web", 50],
    ]);
  });

  it("keeps a client's own patterns and the realm-wide ones for a client", async () => {
    const ps = await listPatternsInRange(sql, {
      realm: "acme",
      clientId: "web",
      range: { from: T - 40 * HOUR, to: T },
    });
    expect(ps.map((p) => [p.clientId, p.eventCount])).toEqual([
      ["web", 900],
      [null, 500],
      ["web", 50],
    ]);
  });
});

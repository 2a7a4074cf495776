import type postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toAdminEventRow, type UserEventRow } from "@/lib/keycloak/event-rows";
import { parseAdminEventFilter } from "@/lib/queries/events/admin-event-filter";
import { countUserEvents } from "@/lib/queries/events/count-user-events";
import { adminEventScope } from "@/lib/queries/events/list-admin-events";
import { listUserEvents, userEventScope } from "@/lib/queries/events/list-user-events";
import { parseUserEventFilter } from "@/lib/queries/events/user-event-filter";
import { exportAdminEvents, exportUserEvents } from "@/lib/screens/export/export-events";
import { userEventRow } from "@/testkit/event-rows";
import { seededRandom as prng } from "@/testkit/seeded-random";
import { testSql, truncateAll } from "../../helpers/db";

const sql: postgres.Sql = testSql();
const SOURCE_A = "00000000-0000-4000-8000-00000000000a";
const SOURCE_B = "00000000-0000-4000-8000-00000000000b";
const NOW = Date.parse("2026-03-10T12:00:00Z");

afterAll(async () => {
  await sql.end();
});
beforeEach(async () => {
  await truncateAll(sql);
});

async function store(rows: UserEventRow[]): Promise<void> {
  const groups = new Map<string, UserEventRow[]>();
  for (const r of rows) {
    const key = `${r.sourceId}/${r.realm}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const batch of groups.values()) await writeUserEvents(sql, batch);
}

async function page(
  query: Record<string, string | string[]>,
  limit: number,
  cursor: { after?: string | null; before?: string | null } = {},
) {
  const filter = parseUserEventFilter(query, NOW);
  return listUserEvents(sql, await userEventScope(sql, filter), { limit, ...cursor });
}

describe("explorer paging", () => {
  it("walks every row exactly once, forwards and back, when many rows share a time across realms and sources", async () => {
    const rand = prng(7);
    const times = [0, 1, 2, 3, 4].map((i) => NOW - 3_600_000 + i * 1000);
    const rows: UserEventRow[] = [];
    for (let i = 0; i < 240; i++) {
      rows.push(
        userEventRow({
          sourceId: i % 3 === 0 ? SOURCE_B : SOURCE_A,
          realm: i % 2 === 0 ? "acme" : "retail",
          id: `ev-${String(Math.floor(rand() * 1e9)).padStart(9, "0")}-${i}`,
          time: times[Math.floor(rand() * times.length)]!,
        }),
      );
    }
    await store(rows);
    const query = { range: "24h" };

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const p = await page(query, 7, { after });
      seen.push(...p.rows.map((r) => `${r.sourceId}/${r.realm}/${r.id}`));
      after = p.older;
      pages++;
    } while (after);
    expect(pages).toBe(Math.ceil(240 / 7));
    expect(new Set(seen).size).toBe(240);
    expect(seen).toHaveLength(240);

    // Newest first: time never increases from one row to the next.
    const all = await page(query, 500);
    expect(all.rows.map((r) => `${r.sourceId}/${r.realm}/${r.id}`)).toEqual(seen);
    for (let i = 1; i < all.rows.length; i++)
      expect(all.rows[i]!.time).toBeLessThanOrEqual(all.rows[i - 1]!.time);

    // Back from the oldest page with `before` cursors gives the same rows in the same order.
    const last = await page(query, 7, { after: (await page(query, 233)).older });
    const back: string[][] = [last.rows.map((r) => `${r.sourceId}/${r.realm}/${r.id}`)];
    let before = last.newer;
    while (before) {
      const p = await page(query, 7, { before });
      back.unshift(p.rows.map((r) => `${r.sourceId}/${r.realm}/${r.id}`));
      before = p.newer;
    }
    expect(back.flat()).toEqual(seen);
  });

  it("rejects a tampered cursor with a message instead of a wrong page", async () => {
    await expect(page({ range: "24h" }, 5, { after: "bm90LWEtY3Vyc29y" })).rejects.toThrow(
      /cursor is not valid/,
    );
  });
});

describe("explorer filters", () => {
  it("includes the whole end day in the viewer's zone and nothing after it", async () => {
    // 1 March 2026 in Berlin (CET, UTC+1) runs from 28 Feb 23:00 UTC to 1 March 23:00 UTC.
    await store([
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "before-start",
        time: Date.parse("2026-02-28T22:59:59.999Z"),
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "first-ms",
        time: Date.parse("2026-02-28T23:00:00.000Z"),
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "last-ms",
        time: Date.parse("2026-03-01T22:59:59.999Z"),
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "next-day",
        time: Date.parse("2026-03-01T23:00:00.000Z"),
      }),
    ]);
    const p = await page({ from: "2026-03-01", to: "2026-03-01", tz: "Europe/Berlin" }, 50);
    expect(p.rows.map((r) => r.id).sort()).toEqual(["first-ms", "last-ms"]);
    const minute = await page({ from: "2026-03-01T23:59", to: "2026-03-01T23:59", tz: "Europe/Berlin" }, 50);
    expect(minute.rows.map((r) => r.id)).toEqual(["last-ms"]);
  });

  it("finds a user's events by a username they no longer have, by e-mail, and by id", async () => {
    const userId = "5b0a1d2e-0000-4000-8000-000000000001";
    await store([
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "old-1",
        time: NOW - 5000,
        userId,
        username: "alice",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "new-1",
        time: NOW - 4000,
        userId,
        username: "alice.smith",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "new-2",
        time: NOW - 3000,
        userId,
        username: "alice.smith",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "other",
        time: NOW - 2000,
        userId: "someone-else",
        username: "bob",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "typo",
        time: NOW - 1000,
        userId: null,
        username: "alice",
        error: "user_not_found",
      }),
    ]);
    await sql`update user_names set email = 'Alice@Example.com' where user_id = ${userId} and username = 'alice'`;
    const ids = async (user: string) => (await page({ range: "24h", user }, 50)).rows.map((r) => r.id).sort();
    expect(await ids("alice")).toEqual(["new-1", "new-2", "old-1", "typo"]);
    expect(await ids("ALICE.SMITH")).toEqual(["new-1", "new-2", "old-1"]);
    expect(await ids("alice@example.com")).toEqual(["new-1", "new-2", "old-1"]);
    expect(await ids(userId)).toEqual(["new-1", "new-2", "old-1"]);
    expect(await ids("alice.smith,bob")).toEqual(["new-1", "new-2", "old-1", "other"]);
  });

  it("combines type, cause, client, IP, origin and outcome filters", async () => {
    await store([
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "a",
        time: NOW - 9000,
        type: "USER_INFO_REQUEST_ERROR",
        cause: "missing-scope",
        clientId: "spa",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "b",
        time: NOW - 8000,
        type: "USER_INFO_REQUEST_ERROR",
        cause: "missing-scope",
        clientId: "api",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "c",
        time: NOW - 7000,
        type: "LOGIN",
        error: null,
        isFailure: false,
        cause: null,
        clientId: "spa",
      }),
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: "d",
        time: NOW - 6000,
        type: "HTTP_DENIAL",
        origin: "access-log",
        cause: "cors",
        ipAddress: "192.0.2.9",
      }),
    ]);
    const ids = async (q: Record<string, string | string[]>) =>
      (await page({ range: "24h", ...q }, 50)).rows.map((r) => r.id).sort();
    expect(await ids({ type: ["USER_INFO_REQUEST_ERROR", "LOGIN"], client: "spa" })).toEqual(["a", "c"]);
    expect(await ids({ cause: "missing-scope" })).toEqual(["a", "b"]);
    expect(await ids({ outcome: "failures", client: "spa" })).toEqual(["a"]);
    expect(await ids({ origin: "access-log" })).toEqual(["d"]);
    expect(await ids({ ip: "192.0.2.9" })).toEqual(["d"]);
    expect(await ids({ realm: "retail" })).toEqual([]);
  });
});

describe("explorer totals", () => {
  it("counts exactly under the cap and estimates from the rollups above it, saying which", async () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      userEventRow({
        sourceId: SOURCE_A,
        realm: "acme",
        id: `t-${i}`,
        time: NOW - 3_600_000 * 3 + i * 30_000,
        clientId: i % 3 === 0 ? "spa" : "api",
      }),
    );
    await store(rows);
    const filter = parseUserEventFilter({ range: "24h", client: "spa" }, NOW);
    const scope = await userEventScope(sql, filter);
    expect(await countUserEvents(sql, scope, filter)).toEqual({ value: 100, exact: true, basis: "counted" });
    expect(await countUserEvents(sql, scope, filter, 50)).toEqual({
      value: 100,
      exact: false,
      basis: "rollups",
    });
    const byIp = parseUserEventFilter({ range: "24h", ip: "10.0.0.1" }, NOW);
    const estimate = await countUserEvents(sql, await userEventScope(sql, byIp), byIp, 50);
    expect(estimate).toMatchObject({ exact: false, basis: "planner" });
    expect(estimate.value).toBeGreaterThanOrEqual(51);
  });
});

describe("explorer export", () => {
  it("streams every row of the filtered set, across many pages, with formulas neutralised", async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      userEventRow({
        sourceId: SOURCE_A,
        realm: i % 2 === 0 ? "acme" : "retail",
        id: `x-${String(i).padStart(5, "0")}`,
        time: NOW - 7_200_000 + Math.floor(i / 10) * 1000,
        type: i % 5 === 0 ? "CLIENT_LOGIN_ERROR" : "LOGIN_ERROR",
        userId: `u-${i % 7}`,
        username: i === 11 ? '=HYPERLINK("http://evil")' : `user${i % 7}`,
      }),
    );
    await store(rows);
    const filter = parseUserEventFilter({ range: "24h", type: "LOGIN_ERROR" }, NOW);
    const scope = await userEventScope(sql, filter);
    let csv = "";
    let chunks = 0;
    for await (const chunk of exportUserEvents(sql, "admin", scope, "csv", 300)) {
      csv += chunk;
      chunks++;
    }
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(
      /^id,time,type,realmId,clientId,userId,sessionId,ipAddress,error,details,realm,username/,
    );
    expect(lines).toHaveLength(1 + 2_000);
    expect(chunks).toBe(1 + Math.ceil(2_000 / 300));
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(2_000);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);

    let jsonl = "";
    for await (const chunk of exportUserEvents(sql, "admin", scope, "jsonl", 700)) jsonl += chunk;
    const records = jsonl
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(2_000);
    expect(records.every((r) => r.type === "LOGIN_ERROR")).toBe(true);
    expect(Object.keys(records[0]).slice(0, 4)).toEqual(["id", "time", "type", "realmId"]);
  });
});

describe("admin events export", () => {
  it("writes Keycloak's AdminEventRepresentation fields in order, with the admin's address masked for a viewer", async () => {
    const row = toAdminEventRow(
      {
        id: "adm-1",
        time: NOW - 3_600_000,
        realmId: "realm-uuid",
        authDetails: {
          realmId: "master-uuid",
          clientId: "client-uuid",
          userId: "admin-uuid",
          ipAddress: "203.0.113.7",
        },
        operationType: "DELETE",
        resourceType: "PROTOCOL_MAPPER",
        resourcePath: "clients/c1/protocol-mappers/models/m1",
        representation: '{"name":"audience"}',
        details: { note: "=cmd" },
      },
      { sourceId: SOURCE_A, realm: "acme", origin: "api" },
    );
    if (isRejected(row)) throw new Error(row.rejected);
    await writeAdminEvents(sql, [row]);
    const filter = parseAdminEventFilter({ range: "24h" }, NOW);
    const scope = await adminEventScope(sql, filter);

    let jsonl = "";
    for await (const chunk of exportAdminEvents(sql, "admin", scope, "jsonl")) jsonl += chunk;
    const [record] = jsonl
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(Object.keys(record)).toEqual([
      "id",
      "time",
      "realmId",
      "authDetails",
      "operationType",
      "resourceType",
      "resourcePath",
      "representation",
      "error",
      "details",
      "realm",
      "origin",
    ]);
    expect(record).toMatchObject({
      id: "adm-1",
      time: NOW - 3_600_000,
      realmId: "realm-uuid",
      authDetails: {
        realmId: "master-uuid",
        clientId: "client-uuid",
        userId: "admin-uuid",
        ipAddress: "203.0.113.7",
      },
      operationType: "DELETE",
      resourceType: "PROTOCOL_MAPPER",
      details: { note: "=cmd" },
      realm: "acme",
      origin: "api",
    });

    let viewerCsv = "";
    for await (const chunk of exportAdminEvents(sql, "viewer", scope, "csv")) viewerCsv += chunk;
    expect(viewerCsv).not.toContain("203.0.113.7");
    expect(viewerCsv.split("\r\n")[0]).toBe(
      "id,time,realmId,authDetails,operationType,resourceType,resourcePath,representation,error,details,realm,origin",
    );
  });
});

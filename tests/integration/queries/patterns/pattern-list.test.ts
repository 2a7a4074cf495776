import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { listPatterns } from "@/lib/queries/patterns/list-patterns";
import { testDatabaseUrl, testSql, truncateAll } from "../../helpers/db";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

/** Open patterns ranked by impact, filtered and sorted as the Patterns page and GET /api/patterns ask. */
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const SOURCE = "5a0e0000-0000-4000-8000-000000000002";
const HOUR = 3_600_000;
const T = Date.parse("2026-05-04T12:00:00Z");

interface Row {
  name: string;
  realm?: string;
  cause?: string;
  status?: "open" | "ongoing" | "resolved";
  kind?: "acute" | "chronic";
  failures24h: number;
  users: number;
  clients: number;
  total: number;
  start: number;
  last: number;
}

/** Impact: failures in 24 h, then users, then clients, then acute before chronic; resolved ones last. */
const ROWS: Row[] = [
  { name: "big", failures24h: 900, users: 5, clients: 1, total: 1000, start: T - 30 * HOUR, last: T - HOUR },
  { name: "wide", failures24h: 400, users: 80, clients: 2, total: 450, start: T - 5 * HOUR, last: T },
  {
    name: "narrow",
    failures24h: 400,
    users: 80,
    clients: 1,
    total: 5000,
    start: T - 60 * HOUR,
    last: T - 2 * HOUR,
  },
  {
    name: "chronic twin",
    kind: "chronic",
    failures24h: 100,
    users: 3,
    clients: 1,
    total: 3000,
    start: T - 90 * HOUR,
    last: T,
  },
  { name: "acute twin", failures24h: 100, users: 3, clients: 1, total: 200, start: T - 2 * HOUR, last: T },
  {
    name: "cors in retail",
    realm: "retail",
    cause: "cors",
    failures24h: 50,
    users: 9,
    clients: 1,
    total: 60,
    start: T - 3 * HOUR,
    last: T - 3 * HOUR,
  },
  {
    name: "resolved giant",
    status: "resolved",
    failures24h: 5000,
    users: 500,
    clients: 9,
    total: 9000,
    start: T - 200 * HOUR,
    last: T - 20 * HOUR,
  },
];

beforeAll(async () => {
  await truncateAll(sql);
  for (const r of ROWS) {
    await sql`
      insert into patterns (id, source_id, realm, cause, scope_kind, scope_value, client_id, status, kind, failures_24h,
                            affected_clients, first_seen, last_seen, event_count, affected_users, evidence)
      values (gen_random_uuid(), ${SOURCE}, ${r.realm ?? "acme"}, ${r.cause ?? "missing-role"}, 'client', ${r.name}, ${r.name},
              ${r.status ?? "ongoing"}, ${r.kind ?? "acute"}, ${r.failures24h}, ${r.clients}, ${new Date(r.start)},
              ${new Date(r.last)}, ${r.total}, ${r.users}, ${r.name})`;
  }
});

afterAll(async () => {
  await sql.end();
  await closeSql();
});

const names = (ps: { scopeValue: string }[]) => ps.map((p) => p.scopeValue);

describe("listPatterns", () => {
  it("ranks open patterns by impact: 24-hour failures, users, clients, acute before chronic", async () => {
    const ps = await listPatterns(sql, { statuses: ["open", "ongoing"], sort: "impact" });
    expect(names(ps)).toEqual(["big", "wide", "narrow", "acute twin", "chronic twin", "cors in retail"]);
    expect(ps[0]).toMatchObject({ failures24h: 900, affectedUsers: 5, affectedClients: 1, kind: "acute" });
  });

  it("puts resolved patterns after unresolved ones by impact, whatever their size", async () => {
    const ps = await listPatterns(sql, { sort: "impact" });
    expect(names(ps).at(-1)).toBe("resolved giant");
  });

  it("sorts by start, last seen and failures, and filters by realm and cause", async () => {
    expect(names(await listPatterns(sql, { sort: "start", statuses: ["ongoing"] }))).toEqual([
      "acute twin",
      "cors in retail",
      "wide",
      "big",
      "narrow",
      "chronic twin",
    ]);
    expect(names(await listPatterns(sql, { sort: "failures" })).slice(0, 3)).toEqual([
      "resolved giant",
      "narrow",
      "chronic twin",
    ]);
    const lastSeen = await listPatterns(sql, {});
    expect(lastSeen.map((p) => p.lastSeen)).toEqual(
      [...lastSeen.map((p) => p.lastSeen)].sort((a, b) => b - a),
    );
    expect(names(await listPatterns(sql, { realm: "retail" }))).toEqual(["cors in retail"]);
    expect(names(await listPatterns(sql, { causes: ["cors", "wrong-audience"] }))).toEqual([
      "cors in retail",
    ]);
    expect(await listPatterns(sql, { causes: ["cors"], realm: "acme" })).toEqual([]);
  });
});

const { GET } = await import("@/app/api/patterns/route");

describe("GET /api/patterns", () => {
  const get = async (query: string) => {
    const res = await GET(new Request(`http://localhost/api/patterns${query}`));
    return { status: res.status, body: (await res.json()) as { patterns: { scopeValue: string }[] } };
  };

  it("keeps its contract: every status, most recently active first", async () => {
    const { status, body } = await get("");
    expect(status).toBe(200);
    expect(body.patterns).toHaveLength(ROWS.length);
    expect(names(body.patterns)).toContain("resolved giant");
    const all = await listPatterns(sql, {});
    expect(names(body.patterns)).toEqual(names(all));
  });

  it("takes cause and sort besides source, realm and repeated status", async () => {
    expect(names((await get("?status=open&status=ongoing&sort=impact")).body.patterns).slice(0, 2)).toEqual([
      "big",
      "wide",
    ]);
    expect(names((await get("?cause=cors")).body.patterns)).toEqual(["cors in retail"]);
    expect(names((await get(`?source=${SOURCE}&realm=acme&status=resolved`)).body.patterns)).toEqual([
      "resolved giant",
    ]);
    expect((await get("?sort=first_seen")).status).toBe(400);
    expect((await get("?cause=1%27%20or%201%3D1")).status).toBe(400);
  });
});

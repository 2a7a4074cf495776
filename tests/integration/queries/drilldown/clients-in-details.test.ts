import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { daysBetween, partitionName } from "@/lib/db/event-partitions";
import { closeSql } from "@/lib/db/sql";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { searchClients } from "@/lib/queries/clients/search-clients";
import { listFailuresByUserAgent, listRefusalsByApi } from "@/lib/queries/drilldown/clients-in-details";
import { eventRow, seedUserEvents } from "@/testkit/seed-events";
import { testDatabaseUrl, testSql, truncateAll } from "../../helpers/db";

/**
 * "Our API returns 403": failures are filed under their caller, and an API that refused them (as the audience of a
 * token exchange or UMA request, or the client a resource-server report required) finds them too, as does a caller
 * known only by the user agent of its access-log lines.
 */
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const { GET: searchRoute } = await import("@/app/api/clients/route");
const { GET: clientRoute } = await import("@/app/api/clients/[realm]/[clientId]/route");
const SOURCE = "3d6f0a52-5a4e-4f0e-9a8e-2b1f4c7d9e10";
const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.parse("2026-05-04T12:00:00Z");
const RANGE = { from: NOW - 7 * DAY, to: NOW };
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/146.0";

let n = 0;
function failure(over: Partial<UserEventRow> & { minutesAgo: number }): UserEventRow {
  const { minutesAgo, ...rest } = over;
  n += 1;
  return eventRow({ id: `e${n}`, time: NOW - minutesAgo * MINUTE, userId: null, username: null, ...rest });
}

const required = (r: object) => ({ required: JSON.stringify(r) });

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE}, 'api-side', now())`;
  await sql`
    insert into realms (source_id, name, client_ids) values
      (${SOURCE}, 'acme', ${sql.json({ u1: "orders-api", u2: "spa", u3: "acme-reporting" })}),
      (${SOURCE}, 'retail', ${sql.json({ u4: "orders-api" })})`;
  const rows: UserEventRow[] = [
    ...[1, 2, 3].map((m) =>
      failure({
        minutesAgo: m,
        type: "TOKEN_EXCHANGE_ERROR",
        error: "not_allowed",
        clientId: "gateway",
        userId: "u-7",
        cause: "wrong-audience",
        details: { audience: "billing-api", reason: "client is not within the token audience" },
      }),
    ),
    ...[4, 5].map((m) =>
      failure({
        minutesAgo: m,
        type: "PERMISSION_TOKEN_ERROR",
        error: "access_denied",
        clientId: "reports",
        cause: "authz-policy",
        details: { audience: "orders-api", permission: "orders#read" },
      }),
    ),
    ...[6, 7, 8, 9].map((m) =>
      failure({
        minutesAgo: m,
        type: "HTTP_DENIAL",
        error: "forbidden",
        origin: "report",
        clientId: "spa",
        cause: "missing-role",
        httpMethod: "DELETE",
        httpPath: `/api/orders/${m}`,
        httpStatus: 403,
        details: required({ clientRoles: [{ clientId: "orders-api", roles: ["orders-admin"] }] }),
      }),
    ),
    failure({
      minutesAgo: 10,
      type: "HTTP_DENIAL",
      error: "forbidden",
      origin: "report",
      clientId: "spa",
      cause: "wrong-audience",
      details: required({ audience: ["ledger-api", "orders-api"] }),
    }),
    // A report whose requirement is not JSON at all: matched by patterns, it cannot fail the reads.
    failure({
      minutesAgo: 11,
      type: "HTTP_DENIAL",
      error: "forbidden",
      origin: "report",
      clientId: "spa",
      details: { required: '{"clientId": broken' },
    }),
    ...[12, 13, 14].map((m) =>
      failure({
        minutesAgo: m,
        type: "HTTP_DENIAL",
        error: "forbidden",
        origin: "access-log",
        clientId: null,
        cause: "missing-role",
        httpMethod: "GET",
        httpPath: "/admin/realms/acme/users",
        httpStatus: 403,
        details: { user_agent: "acme-reporting/2.4 node" },
      }),
    ),
    ...[15, 16].map((m) =>
      failure({
        minutesAgo: m,
        type: "HTTP_DENIAL",
        origin: "access-log",
        clientId: null,
        details: { user_agent: BROWSER },
      }),
    ),
    // With a token the line is filed under its client: not a tokenless caller.
    failure({
      minutesAgo: 17,
      type: "HTTP_DENIAL",
      origin: "access-log",
      clientId: "spa",
      details: { user_agent: "acme-reporting/2.4 node" },
    }),
    ...[18, 19, 20, 21, 22].map((m) => failure({ minutesAgo: m, clientId: "spa" })),
    // Outside the range, and in another realm.
    failure({
      minutesAgo: 40 * 24 * 60,
      type: "PERMISSION_TOKEN_ERROR",
      clientId: "reports",
      details: { audience: "orders-api" },
    }),
    failure({
      minutesAgo: 30,
      realm: "retail",
      type: "PERMISSION_TOKEN_ERROR",
      clientId: "shop",
      details: { audience: "orders-api" },
    }),
  ];
  await seedUserEvents(sql, rows);
});

afterAll(async () => {
  await sql.end();
  await closeSql();
});

describe("failures refused by an API", () => {
  it("lists every caller's failures the API refused or was asked for as audience, newest first", async () => {
    const orders = await listRefusalsByApi(sql, { realm: "acme", clientId: "orders-api", range: RANGE });
    expect(orders.total).toBe(7);
    expect(orders.complete).toBe(true);
    expect(orders.groups.map((g) => [g.key, g.failures, g.topCause])).toEqual([
      ["spa", 5, "missing-role"],
      ["reports", 2, "authz-policy"],
    ]);
    expect(orders.groups[0]?.lastSeen).toBe(NOW - 6 * MINUTE);
    expect(orders.recent.map((f) => f.time)).toEqual([4, 5, 6, 7, 8, 9, 10].map((m) => NOW - m * MINUTE));
    expect(orders.recent[2]).toMatchObject({
      clientId: "spa",
      origin: "report",
      httpMethod: "DELETE",
      httpPath: "/api/orders/6",
      httpStatus: 403,
    });

    const billing = await listRefusalsByApi(sql, { realm: "acme", clientId: "billing-api", range: RANGE });
    expect(billing.groups).toMatchObject([{ key: "gateway", failures: 3, topCause: "wrong-audience" }]);
    expect(billing.recent[0]).toMatchObject({ type: "TOKEN_EXCHANGE_ERROR", userId: "u-7" });
    const ledger = await listRefusalsByApi(sql, { realm: "acme", clientId: "ledger-api", range: RANGE });
    expect(ledger.total).toBe(1);
    expect((await listRefusalsByApi(sql, { realm: "acme", clientId: "spa", range: RANGE })).total).toBe(0);
  });

  it("says when only the newest failures of the range were examined", async () => {
    const cut = await listRefusalsByApi(sql, {
      realm: "acme",
      clientId: "billing-api",
      range: RANGE,
      scanLimit: 2,
    });
    expect(cut).toMatchObject({ total: 2, complete: false });
  });

  it("finds a tokenless caller by the product of its user agent, in any case", async () => {
    const byAgent = await listFailuresByUserAgent(sql, {
      realm: "acme",
      clientId: "ACME-reporting",
      range: RANGE,
    });
    expect(byAgent.total).toBe(3);
    expect(byAgent.groups).toMatchObject([
      { key: "acme-reporting/2.4 node", failures: 3, topCause: "missing-role" },
    ]);
    expect(byAgent.recent[0]).toMatchObject({
      clientId: null,
      httpPath: "/admin/realms/acme/users",
      ipAddress: "10.0.0.1",
    });
  });

  it("reads through the partial indexes of refused and tokenless failures", async () => {
    const statements: [string, unknown[]][] = [];
    const traced = postgres(testDatabaseUrl(), {
      max: 1,
      onnotice: () => {},
      debug: (_c, query, params) => statements.push([query, params as unknown[]]),
    });
    try {
      await listRefusalsByApi(traced, { realm: "acme", clientId: "orders-api", range: RANGE });
      await listFailuresByUserAgent(traced, { realm: "acme", clientId: "acme-reporting", range: RANGE });
      const plans: string[] = [];
      // Statistics of this file's rows: TRUNCATE keeps the ones an earlier file's much larger history left.
      await traced`analyze user_events`;
      for (const [query, params] of statements.filter(([q]) => q.includes("examined"))) {
        const lines = await traced.begin(async (tx) => {
          await tx`set local enable_seqscan = off`;
          await tx`set local enable_bitmapscan = off`;
          return tx.unsafe(`explain ${query}`, params as postgres.ParameterOrJSON<never>[]);
        });
        plans.push(lines.map((l) => String(l["QUERY PLAN"])).join("\n"));
      }
      expect(plans).toHaveLength(2);
      // The failures tier's own copy of the index in each day (user_events is partitioned by day, then by
      // is_failure), and only the days of the range.
      expect(plans[0]).toMatch(/Index Scan Backward using user_events_p\d{8}_f_failures_refused_idx/);
      expect(plans[1]).toMatch(/Index Scan Backward using user_events_p\d{8}_f_failures_tokenless_idx/);
      const inRange = new Set(daysBetween(RANGE.from, RANGE.to).map((d) => partitionName("user_events", d)));
      for (const plan of plans) {
        const opened = plan.match(/user_events_p\d{8}(?=_[fs] )/g) ?? [];
        expect(opened.length).toBeGreaterThan(0);
        expect(opened.filter((p) => !inRange.has(p))).toEqual([]);
      }
    } finally {
      await traced.end();
    }
  });
});

describe("client search", () => {
  const search = (q: string, realm?: string) => searchClients(sql, { q, realm, range: RANGE });
  const rows = (hits: Awaited<ReturnType<typeof search>>["hits"]) =>
    hits.map((h) => [h.realm, h.clientId, h.known, h.failures, h.refusals, h.agentFailures]);

  it("finds APIs that only appear as the audience or required client of refused tokens", async () => {
    const { hits, complete } = await search("api");
    expect(complete).toBe(true);
    expect(rows(hits)).toEqual([
      ["acme", "orders-api", true, 0, 7, 0],
      ["acme", "billing-api", false, 0, 3, 0],
      ["acme", "ledger-api", false, 0, 1, 0],
      ["retail", "orders-api", true, 0, 1, 0],
    ]);
  });

  it("finds callers by their failures and tokenless callers by their user agent, prefix matches first", async () => {
    const { hits } = await search("report");
    expect(rows(hits)).toEqual([
      ["acme", "reports", false, 2, 0, 0],
      ["acme", "acme-reporting", true, 0, 0, 3],
    ]);
    expect(hits[1]?.userAgents).toEqual(["acme-reporting/2.4 node"]);
    expect(rows((await search("SPA")).hits)).toEqual([["acme", "spa", true, 12, 0, 0]]);
    expect(rows((await search("mozilla")).hits)).toEqual([["acme", "Mozilla", false, 0, 0, 2]]);
  });

  it("puts an exact match first, narrows to a realm, and treats the query as text", async () => {
    expect(rows((await search("orders-api")).hits)[0]).toEqual(["acme", "orders-api", true, 0, 7, 0]);
    expect(rows((await search("orders", "retail")).hits)).toEqual([["retail", "orders-api", true, 0, 1, 0]]);
    expect((await search("%")).hits).toEqual([]);
    expect((await search("' or 1=1 --")).hits).toEqual([]);
    expect((await search("   ")).hits).toEqual([]);
  });
});

describe("the client API", () => {
  const range = "from=2026-04-27T12:00&to=2026-05-04T11:59";

  it("searches by part of a clientId and gives a client's refusals and tokenless failures", async () => {
    const found = await searchRoute(new Request(`http://localhost/api/clients?q=orders&${range}`));
    expect(found.status).toBe(200);
    const body = (await found.json()) as { clients: { realm: string; clientId: string; refusals: number }[] };
    expect(body.clients.map((c) => [c.realm, c.clientId, c.refusals])).toEqual([
      ["acme", "orders-api", 7],
      ["retail", "orders-api", 1],
    ]);
    const page = await clientRoute(new Request(`http://localhost/api/clients/acme/orders-api?${range}`), {
      params: Promise.resolve({ realm: "acme", clientId: "orders-api" }),
    });
    const client = (await page.json()) as { refusals: { total: number }; byUserAgent: { total: number } };
    expect(client.refusals.total).toBe(7);
    expect(client.byUserAgent.total).toBe(0);
    // Next hands route handlers decoded segments: a client id with a percent sign is taken as it is (and, never
    // seen in the realm, is unknown by that very name).
    for (const clientId of ["a%zz", "a%41"]) {
      const odd = await clientRoute(
        new Request(`http://localhost/api/clients/acme/${encodeURIComponent(clientId)}?${range}`),
        { params: Promise.resolve({ realm: "acme", clientId }) },
      );
      expect(odd.status).toBe(404);
      expect(JSON.stringify(await odd.json())).toContain(`No client ${clientId} was ever seen`);
    }
    expect((await searchRoute(new Request(`http://localhost/api/clients?q=${"x".repeat(300)}`))).status).toBe(
      400,
    );
  });
});

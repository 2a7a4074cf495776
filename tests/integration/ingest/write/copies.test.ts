import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { importLog } from "@/lib/ingest/import/import-log";
import { createReportKey, receiveReport } from "@/lib/ingest/reports/receive";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { ENRICHMENT_KEYS } from "@/lib/ingest/write/link-copies";
import { rebuildRollups } from "@/lib/ingest/write/rollup-batch";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toUserEventRow, type UserEventRow } from "@/lib/keycloak/event-rows";
import { loadUserEventsPage } from "@/lib/screens/events/load-events-page";
import { loadOverview } from "@/lib/screens/overview/load-overview";
import { signReport } from "@/packages/reporter/src/signature";
import { accessToken } from "@/testkit/report-tokens";
import { testDatabaseUrl, testSql } from "../../helpers/db";

// The overview and explorer loaders read the viewer's role; outside Next there is no request scope.
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

const SOURCE = "import-copies-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let sourceId = "";
let reportKey = "";

beforeAll(async () => {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${SOURCE}, 'api', now())
    returning id`;
  sourceId = row!.id;
  reportKey = await createReportKey(sql, sourceId);
});

beforeEach(async () => {
  for (const table of [
    "user_events",
    "rollup_minute",
    "rollup_hour",
    "rollup_day",
    "rollup_realm_hour",
    "report_nonces",
    "user_names",
  ]) {
    await sql`delete from ${sql(table)} where source_id = ${sourceId}`;
  }
});

afterAll(async () => {
  for (const table of [
    "user_events",
    "rollup_minute",
    "rollup_hour",
    "rollup_day",
    "rollup_realm_hour",
    "report_nonces",
    "user_names",
  ]) {
    await sql`delete from ${sql(table)} where source_id = ${sourceId}`;
  }
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
});

const T0 = Date.UTC(2025, 5, 3, 10, 0, 0, 412);
/** When the report is signed and the pages are read: a fixed instant, never the wall clock. */
const NOW = Date.UTC(2025, 5, 3, 10, 30, 0);
const RANGE = { from: String(Date.UTC(2025, 5, 3, 9, 0)), to: String(Date.UTC(2025, 5, 3, 11, 0)) };
const SHOPPER = "2b6c1e44-6f0b-4d8e-9a51-7c0e3f6d2a10";
const READER = "5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21";
const REALM_ID = "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13";
const LONG_AGENT = `billing-worker/2.1 ${"x".repeat(3000)}`;

function apiRow(event: Record<string, unknown>): UserEventRow {
  const row = toUserEventRow({ realmId: REALM_ID, ...event }, { sourceId, realm: "acme", origin: "api" });
  if (isRejected(row)) throw new Error(row.rejected);
  classifyRow(row);
  return row;
}

/** Keycloak's events as the sync reads them. */
const events = () => [
  apiRow({
    id: "ev-client-login",
    time: T0,
    type: "CLIENT_LOGIN_ERROR",
    clientId: "billing-service",
    ipAddress: "198.51.100.7",
    error: "invalid_client_credentials",
    details: { grant_type: "client_credentials" },
  }),
  apiRow({
    id: "ev-refresh",
    time: T0 + 5_250,
    type: "REFRESH_TOKEN_ERROR",
    clientId: "shop-frontend",
    userId: SHOPPER,
    ipAddress: "203.0.113.9",
    error: "invalid_token",
    details: { grant_type: "refresh_token", reason: "Session not active" },
  }),
  apiRow({
    id: "ev-userinfo",
    time: T0 + 20_100,
    type: "USER_INFO_REQUEST_ERROR",
    clientId: "orders-web",
    userId: READER,
    ipAddress: "192.0.2.44",
    error: "invalid_token",
    details: { auth_method: "validate_access_token", reason: "Token is not active" },
  }),
];

/**
 * The reverse proxy's access log: the token requests behind the first two events, and three denials Keycloak
 * recorded no event for (a grant refused from another address, the same client's address half a minute later,
 * an admin REST 403).
 */
const ACCESS_LOG = [
  `198.51.100.7 - - [03/Jun/2025:10:00:00 +0000] "POST /realms/acme/protocol/openid-connect/token HTTP/1.1" 401 93 "-" "${LONG_AGENT}"`,
  '203.0.113.9 - - [03/Jun/2025:10:00:05 +0000] "POST /realms/acme/protocol/openid-connect/token HTTP/1.1" 400 120 "https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64) Firefox/146.0"',
  '198.51.100.99 - - [03/Jun/2025:10:00:10 +0000] "POST /realms/acme/protocol/openid-connect/token HTTP/1.1" 400 120 "-" "okhttp/4.12"',
  '198.51.100.7 - - [03/Jun/2025:10:00:30 +0000] "POST /realms/acme/protocol/openid-connect/token HTTP/1.1" 401 93 "-" "billing-worker/2.1"',
  '10.0.0.5 - - [03/Jun/2025:10:00:40 +0000] "GET /admin/realms/acme/users HTTP/1.1" 403 52 "-" "kcadm"',
].join("\n");

async function* lines(text: string): AsyncIterable<string> {
  yield `${text}\n`;
}

/** A resource server's report of the userinfo call behind the third event (reports carry no client address). */
async function report(nonce: string) {
  const body = JSON.stringify({
    realm: "acme",
    method: "GET",
    path: "/realms/acme/protocol/openid-connect/userinfo",
    status: 401,
    token: accessToken(T0 - 600_000, { azp: "orders-web", sub: READER }),
    time: T0 + 20_350,
  });
  return receiveReport(
    sql,
    { source: sourceId, timestamp: String(NOW), nonce, signature: signReport(reportKey, NOW, nonce, body) },
    body,
    NOW,
  );
}

async function syncEvents() {
  await writeUserEvents(sql, events());
}
async function importAccessLog() {
  return importLog(sql, lines(ACCESS_LOG), { sourceId });
}

/** Everything a user is shown of the window, and the stored rows. */
async function seen() {
  const overview = await loadOverview(
    sql,
    "admin",
    { source: sourceId, realm: "acme", tz: "UTC", ...RANGE },
    NOW,
  );
  const rollups: Record<string, { events: number; failures: number }> = {};
  for (const table of ["rollup_minute", "rollup_hour", "rollup_day", "rollup_realm_hour"]) {
    const [t] = await sql<{ events: number; failures: number }[]>`
      select coalesce(sum(events), 0)::int as events, coalesce(sum(failures), 0)::int as failures
      from ${sql(table)} where source_id = ${sourceId}`;
    rollups[table] = t!;
  }
  const rows = await sql<
    {
      id: string;
      origin: string;
      is_failure: boolean;
      copy_of: string | null;
      cause: string | null;
      http_status: number | null;
    }[]
  >`
    select id, origin, is_failure, copy_of, cause, http_status from user_events
    where source_id = ${sourceId} order by time, origin, id`;
  return {
    totals: overview.totals,
    topIps: overview.topIps.rows.map((r) => [r.ipAddress, r.failures]),
    topClients: overview.topClients.map((c) => [c.clientId, c.failures, c.events]),
    rollups,
    rows: rows.map((r) => ({
      ...r,
      id: r.origin === "report" ? "(report)" : r.id.startsWith("fp:") ? "(line)" : r.id,
    })),
  };
}

const EXPECTED = {
  // Three events and three denials of their own: the two access-log copies and the report are not counted.
  totals: { events: 6, failures: 6 },
  topIps: [
    ["198.51.100.7", 2],
    ["10.0.0.5", 1],
    ["192.0.2.44", 1],
    ["198.51.100.99", 1],
    ["203.0.113.9", 1],
  ],
  topClients: [
    ["", 3, 3],
    ["billing-service", 1, 1],
    ["orders-web", 1, 1],
    ["shop-frontend", 1, 1],
  ],
  rollups: {
    rollup_minute: { events: 6, failures: 6 },
    rollup_hour: { events: 6, failures: 6 },
    rollup_day: { events: 6, failures: 6 },
    rollup_realm_hour: { events: 6, failures: 6 },
  },
  rows: [
    {
      id: "(line)",
      origin: "access-log",
      is_failure: false,
      copy_of: "ev-client-login",
      cause: "client-auth",
      http_status: 401,
    },
    {
      id: "ev-client-login",
      origin: "api",
      is_failure: true,
      copy_of: null,
      cause: "client-auth",
      http_status: 401,
    },
    {
      id: "(line)",
      origin: "access-log",
      is_failure: false,
      copy_of: "ev-refresh",
      cause: "session-invalid",
      http_status: 400,
    },
    {
      id: "ev-refresh",
      origin: "api",
      is_failure: true,
      copy_of: null,
      cause: "session-invalid",
      http_status: 400,
    },
    {
      id: "(line)",
      origin: "access-log",
      is_failure: true,
      copy_of: null,
      cause: "session-invalid",
      http_status: 400,
    },
    {
      id: "ev-userinfo",
      origin: "api",
      is_failure: true,
      copy_of: null,
      cause: "token-expired",
      http_status: 401,
    },
    {
      id: "(report)",
      origin: "report",
      is_failure: false,
      copy_of: "ev-userinfo",
      cause: "token-expired",
      http_status: 401,
    },
    {
      id: "(line)",
      origin: "access-log",
      is_failure: true,
      copy_of: null,
      cause: "client-auth",
      http_status: 401,
    },
    {
      id: "(line)",
      origin: "access-log",
      is_failure: true,
      copy_of: null,
      cause: "missing-role",
      http_status: 403,
    },
  ],
};

describe("access-log lines and reports that repeat Keycloak events", () => {
  it("are counted once when the log and the report arrive before the events", async () => {
    const imported = await importAccessLog();
    expect(imported).toMatchObject({ events: 5, stored: 5 });
    await report("nonce-log-first-0001");
    await syncEvents();
    expect(await seen()).toEqual(EXPECTED);
  });

  it("are counted once when the events arrive first", async () => {
    await syncEvents();
    await importAccessLog();
    await report("nonce-events-first-01");
    expect(await seen()).toEqual(EXPECTED);
  });

  it("are counted once when the events come between the log and the report, and a re-import adds nothing", async () => {
    await importAccessLog();
    await syncEvents();
    await report("nonce-in-between-0001");
    const again = await importAccessLog();
    expect(again).toMatchObject({ stored: 0, alreadyStored: 5 });
    await syncEvents();
    expect(await seen()).toEqual(EXPECTED);
  });

  it("leave the rollups as a rebuild from the stored rows makes them", async () => {
    await importAccessLog();
    await syncEvents();
    const kept = await seen();
    await rebuildRollups(sql, { sourceId });
    expect(await seen()).toEqual(kept);
  });

  it("lend the event what the request shows, bounded, and leave Keycloak's own details alone", async () => {
    await importAccessLog();
    await syncEvents();
    const rows = await sql<
      { id: string; http_method: string | null; http_path: string | null; details: Record<string, string> }[]
    >`
      select id, http_method, http_path, details from user_events
      where source_id = ${sourceId} and origin = 'api' order by id`;
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId["ev-refresh"]).toMatchObject({
      http_method: "POST",
      http_path: "/realms/acme/protocol/openid-connect/token",
      details: {
        grant_type: "refresh_token",
        reason: "Session not active",
        [ENRICHMENT_KEYS.origin]: "https://shop.example.com",
        [ENRICHMENT_KEYS.userAgent]: "Mozilla/5.0 (X11; Linux x86_64) Firefox/146.0",
      },
    });
    const agent = byId["ev-client-login"]!.details[ENRICHMENT_KEYS.userAgent]!;
    expect(agent.startsWith("billing-worker/2.1 xxx")).toBe(true);
    expect(agent.length).toBeLessThanOrEqual(512);
    expect(byId["ev-client-login"]!.details).not.toHaveProperty(ENRICHMENT_KEYS.origin);
    expect(byId["ev-userinfo"]!.details).toEqual({
      auth_method: "validate_access_token",
      reason: "Token is not active",
    });
  });

  it("are found in the explorer by origin, each naming and linking the event it copies", async () => {
    await syncEvents();
    await importAccessLog();
    await report("nonce-explorer-1");
    const page = await loadUserEventsPage(
      sql,
      "admin",
      { source: sourceId, realm: "acme", origin: "access-log", tz: "UTC", ...RANGE },
      NOW,
    );
    expect(page.events.map((e) => [e.httpStatus, e.copyOf, e.isFailure])).toEqual([
      [403, null, true],
      [401, null, true],
      [400, null, true],
      [400, "ev-refresh", false],
      [401, "ev-client-login", false],
    ]);
    const copy = page.events.find((e) => e.copyOf === "ev-client-login")!;
    const link = new URL(copy.copyOfHref!, "http://x");
    expect(link.pathname).toBe("/events");
    expect(Object.fromEntries(link.searchParams)).toMatchObject({
      source: sourceId,
      realm: "acme",
      id: "ev-client-login",
    });

    // The link finds the event; the event's copies are found by copy_of.
    const event = await loadUserEventsPage(sql, "admin", Object.fromEntries(link.searchParams), NOW);
    expect(event.events.map((e) => [e.id, e.origin, e.httpStatus])).toEqual([
      ["ev-client-login", "api", 401],
    ]);
    const copies = await loadUserEventsPage(
      sql,
      "admin",
      { source: sourceId, realm: "acme", copy_of: "ev-userinfo", tz: "UTC", ...RANGE },
      NOW,
    );
    expect(copies.events.map((e) => [e.origin, e.copyOf])).toEqual([["report", "ev-userinfo"]]);
    // Failures only: the copies are not failures of their own.
    const failures = await loadUserEventsPage(
      sql,
      "admin",
      {
        source: sourceId,
        realm: "acme",
        origin: ["access-log", "report"],
        outcome: "failures",
        tz: "UTC",
        ...RANGE,
      },
      NOW,
    );
    expect(failures.events.map((e) => e.copyOf)).toEqual([null, null, null]);
  });
});

describe("Keycloak's own server log holding an event line and the access-log line of the same request", () => {
  const SERVER_LOG = [
    `2025-06-03 10:00:00,431 WARN  [org.keycloak.events] (executor-thread-3) type="CLIENT_LOGIN_ERROR", realmId="${REALM_ID}", realmName="acme", clientId="billing-service", userId="null", ipAddress="198.51.100.7", error="invalid_client_credentials", grant_type="client_credentials"`,
    '2025-06-03 10:00:00,433 INFO  [org.keycloak.http.access-log] (executor-thread-3) 198.51.100.7 - - [03/Jun/2025:10:00:00 +0000] "POST /realms/acme/protocol/openid-connect/token HTTP/1.1" 401 93',
  ].join("\n");

  it("counts the request once, and the copy follows the event when the API's row replaces the log line", async () => {
    const imported = await importLog(sql, lines(SERVER_LOG), { sourceId });
    expect(imported).toMatchObject({ events: 2, stored: 2 });
    const before = await sql<{ origin: string; is_failure: boolean; copy_of: string | null; id: string }[]>`
      select origin, is_failure, copy_of, id from user_events where source_id = ${sourceId} order by origin`;
    expect(before.map((r) => [r.origin, r.is_failure])).toEqual([
      ["access-log", false],
      ["log", true],
    ]);
    expect(before[0]!.copy_of).toBe(before[1]!.id);

    await writeUserEvents(sql, [events()[0]!], { supersedeLogRows: true });
    const after = await seen();
    expect(after.rows).toEqual([
      {
        id: "(line)",
        origin: "access-log",
        is_failure: false,
        copy_of: "ev-client-login",
        cause: "client-auth",
        http_status: 401,
      },
      {
        id: "ev-client-login",
        origin: "api",
        is_failure: true,
        copy_of: null,
        cause: "client-auth",
        http_status: 401,
      },
    ]);
    expect(after.totals).toEqual({ events: 1, failures: 1 });
    expect(after.rollups.rollup_minute).toEqual({ events: 1, failures: 1 });
  });
});

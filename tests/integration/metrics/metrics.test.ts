import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SOURCE_ID, seedSource } from "@/testkit/seed-production";
import { testSql, truncateAll } from "../helpers/db";

// The route's modules are server-only; vitest has no react-server condition to satisfy the marker package.
vi.mock("server-only", () => ({}));

const sql = testSql();
const DAY = Date.parse("2026-11-21T00:00:00Z");

beforeEach(async () => {
  await truncateAll(sql);
  await seedSource(sql, "prod");
  const rows = [
    ["acme", "missing-role", "orders-api", 30],
    ["acme", "missing-role", "orders-api", 12],
    ["acme", "invalid-redirect-uri", "portal", 5],
    ["beta", "", "cli", 2],
  ] as const;
  for (const [i, [realm, cause, clientId, failures]] of rows.entries()) {
    await sql`
      insert into rollup_day (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
      values (${SOURCE_ID}, ${realm}, ${new Date(DAY - i * 86_400_000)}, 'LOGIN_ERROR', 'x', ${cause}, ${clientId},
              'api', ${failures}, ${failures})`;
  }
  await sql`
    insert into sync_streams (source_id, realm, kind, cursor_time, last_success_at, status, events_total,
                              clock_skew_ms)
    values (${SOURCE_ID}, 'acme', 'user', now() - interval '90 seconds', now(), 'ok', 12345, null),
           (${SOURCE_ID}, 'acme', 'admin', now() - interval '10 minutes', null, 'error', 7, -300000)`;
});

afterAll(async () => {
  await sql.end();
});

async function scrape(headers: Record<string, string> = {}) {
  const { GET } = await import("@/app/metrics/route");
  return GET(new Request("http://127.0.0.1/metrics", { headers }));
}

describe("/metrics", () => {
  it("exposes denial counters by realm, cause and client, summed from the rollups", async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    expect(text).toContain("# TYPE realmwatch_denials_total counter");
    expect(text).toContain(
      'realmwatch_denials_total{realm="acme",cause="missing-role",client_id="orders-api"} 42',
    );
    expect(text).toContain(
      'realmwatch_denials_total{realm="acme",cause="invalid-redirect-uri",client_id="portal"} 5',
    );
    expect(text).toContain('realmwatch_denials_total{realm="beta",cause="unclassified",client_id="cli"} 2');
  });

  it("exposes per-stream ingestion, lag and errors from sync_streams", async () => {
    const text = await (await scrape()).text();
    expect(text).toContain('realmwatch_events_ingested_total{source="prod",realm="acme",kind="user"} 12345');
    expect(text).toContain('realmwatch_sync_stream_error{source="prod",realm="acme",kind="admin"} 1');
    expect(text).toContain('realmwatch_sync_stream_error{source="prod",realm="acme",kind="user"} 0');
    const lag = Number(
      text.match(/realmwatch_ingest_lag_seconds\{source="prod",realm="acme",kind="user"\} (\S+)/)?.[1],
    );
    expect(lag).toBeGreaterThanOrEqual(89);
    expect(lag).toBeLessThan(600);
  });

  it("exposes Keycloak's clock skew and measures the lag on Keycloak's clock (the cursor's)", async () => {
    const text = await (await scrape()).text();
    expect(text).toContain(
      'realmwatch_keycloak_clock_skew_seconds{source="prod",realm="acme",kind="admin"} -300',
    );
    expect(text).not.toContain(
      'realmwatch_keycloak_clock_skew_seconds{source="prod",realm="acme",kind="user"}',
    );
    // Cursor 10 min before our now, Keycloak's clock 5 min behind ours: 5 min behind Keycloak's now.
    const lag = Number(
      text.match(/realmwatch_ingest_lag_seconds\{source="prod",realm="acme",kind="admin"\} (\S+)/)?.[1],
    );
    expect(lag).toBeGreaterThanOrEqual(299);
    expect(lag).toBeLessThan(420);
  });

  it("needs the bearer token once REALMWATCH_METRICS_TOKEN is set", async () => {
    process.env.REALMWATCH_METRICS_TOKEN = "scrape-token";
    try {
      expect((await scrape()).status).toBe(401);
      expect((await scrape({ authorization: "Bearer scrape-token" })).status).toBe(200);
    } finally {
      delete process.env.REALMWATCH_METRICS_TOKEN;
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { testDatabaseUrl, testSql } from "../../helpers/db";
import { clearTestPushSource, createTestPushSource, removeTestPushSource } from "./push-source-fixture";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
process.env.REALMWATCH_SECRET_KEY ??= "push-logs-test-key-0123456789abcdef";

const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const { POST } = await import("@/app/api/push/logs/[id]/route");

let sourceId = "";
let token = "";

beforeAll(async () => {
  ({ sourceId, token } = await createTestPushSource(sql, "push-logs-test"));
});

beforeEach(() => clearTestPushSource(sql, sourceId));

afterAll(async () => {
  await removeTestPushSource(sql, sourceId);
  await sql.end();
  await closeSql();
});

const EVENT = (n: number) =>
  `type="LOGIN_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="acme", clientId="shop-frontend", userId="null", ipAddress="198.51.100.${n}", error="invalid_redirect_uri", redirect_uri="https://shop.example.com/cb"`;

// What Keycloak writes to the console in each of its formats, as a shipper forwards it (one event per line).
const PLAIN = `2026-11-20 10:00:00,131 WARN  [org.keycloak.events] (executor-thread-3) ${EVENT(1)}`;
const PREFIXED = `keycloak-1  | 2026-11-20 10:00:01,131 WARN  [org.keycloak.events] (executor-thread-4) ${EVENT(2)}`;
const JSON_LINE = JSON.stringify({
  timestamp: "2026-11-20T10:00:02.131Z",
  sequence: 8812,
  loggerClassName: "org.jboss.logging.Logger",
  loggerName: "org.keycloak.events",
  level: "WARN",
  message: EVENT(3),
  threadName: "executor-thread-5",
  hostName: "keycloak-0",
});
const ECS_LINE = JSON.stringify({
  "@timestamp": "2026-11-20T10:00:03.131Z",
  "log.logger": "org.keycloak.events",
  "log.level": "WARN",
  message: EVENT(4),
  "process.thread.name": "executor-thread-6",
  "ecs.version": "1.12.2",
});
const NOISE = "2026-11-20 10:00:04,001 INFO  [io.quarkus] (main) Keycloak 26.4.0 on JVM started in 7.215s.";

function ship(lines: string[] | AsyncIterable<Uint8Array>, auth = `Bearer ${token}`): Promise<Response> {
  const body = Array.isArray(lines) ? `${lines.join("\n")}\n` : streamOf(lines);
  return POST(
    new Request(`http://localhost/api/push/logs/${sourceId}`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "text/plain" },
      body,
      duplex: "half",
    } as RequestInit),
    { params: Promise.resolve({ id: sourceId }) },
  );
}

function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

const stored = () =>
  sql<{ ip_address: string; cause: string; origin: string; realm: string }[]>`
    select ip_address, cause, origin, realm from user_events where source_id = ${sourceId} order by time`;

describe("POST /api/push/logs/<source>: continuous log shipping", () => {
  it("stores event lines of every console format, with prefixes, and counts the rest as not events", async () => {
    const res = await ship([PLAIN, PREFIXED, JSON_LINE, ECS_LINE, NOISE]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ lines: 5, events: 4, stored: 4, skipped: 0 });
    const rows = await stored();
    expect(rows.map((r) => r.ip_address)).toEqual([
      "198.51.100.1",
      "198.51.100.2",
      "198.51.100.3",
      "198.51.100.4",
    ]);
    expect(new Set(rows.map((r) => `${r.realm}/${r.cause}/${r.origin}`))).toEqual(
      new Set(["acme/redirect-uri/log"]),
    );
    const [stats] = await sql<{ accepted: number }[]>`
      select accepted from push_minutes where source_id = ${sourceId}`;
    expect(stats?.accepted).toBe(4);
  });

  it("unwraps records that carry the line in a log field (Docker json-file, Fluent Bit json_lines)", async () => {
    const docker = JSON.stringify({ log: `${PLAIN}\n`, stream: "stdout", time: "2026-11-20T10:00:00.131Z" });
    const fluentBit = JSON.stringify({ date: 1795168801.131, log: PREFIXED });
    const res = await ship([docker, fluentBit]);
    expect(await res.json()).toMatchObject({ lines: 2, events: 2, stored: 2 });
    expect((await stored()).map((r) => r.ip_address)).toEqual(["198.51.100.1", "198.51.100.2"]);
  });

  it("stores nothing twice when a shipper resends a batch", async () => {
    await ship([PLAIN, JSON_LINE]);
    const again = await ship([PLAIN, JSON_LINE]);
    expect(await again.json()).toMatchObject({ events: 2, stored: 0, alreadyStored: 2 });
    expect(await stored()).toHaveLength(2);
  });

  it("streams a body of many chunks, a line cut across chunks included", async () => {
    const encoder = new TextEncoder();
    async function* chunks() {
      for (let i = 0; i < 200; i++) {
        const line = `2026-11-20 10:01:${String(i % 60).padStart(2, "0")},${String(100 + Math.floor(i / 60)).padStart(3, "0")} WARN  [org.keycloak.events] (t) ${EVENT(i % 250)}\n`;
        yield encoder.encode(line.slice(0, 20));
        yield encoder.encode(line.slice(20));
      }
    }
    const res = await ship(chunks());
    expect(await res.json()).toMatchObject({ lines: 200, events: 200, stored: 200 });
  });

  it("skips a line over the per-line cap and counts it as rejected, keeping the others", async () => {
    const long = `${PLAIN} padding="${"x".repeat(70 * 1024)}"`;
    const res = await ship([long, PREFIXED]);
    expect(await res.json()).toMatchObject({ lines: 2, events: 1, stored: 1, skipped: 1 });
    const [stats] = await sql<{ rejected: number; last_reject_reason: string }[]>`
      select rejected, last_reject_reason from push_minutes where source_id = ${sourceId}`;
    expect(stats).toMatchObject({ rejected: 1, last_reject_reason: "skipped lines: too-long" });
  });

  it("refuses a stream without the push token (401) and stores nothing", async () => {
    expect((await ship([PLAIN], "Bearer rwp_not-the-token")).status).toBe(401);
    const res = await ship([PLAIN], "");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthorized", details: { reason: "bad_token" } });
    expect(await stored()).toEqual([]);
  });
});

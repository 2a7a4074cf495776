import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SOURCE_ID, seedSource } from "@/testkit/seed-production";
import { testSql, truncateAll } from "../helpers/db";

vi.mock("server-only", () => ({}));
process.env.REALMWATCH_SECRET_KEY ??= "integration-tests-only-P5sK8dW2qL7mX3vR9";

const { dispatchPatternAlerts } = await import("@/lib/alerts/dispatch-pattern-alerts");
const { saveAlertWebhook } = await import("@/lib/alerts/save-alert-webhook");
const { sendTestAlert } = await import("@/lib/alerts/send-test-alert");

const sql = testSql();
const PATTERN_ID = "a1b2c3d4-0000-4000-8000-000000000001";
const T0 = new Date("2026-11-22T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A local webhook receiver: records every body; answers with `status`. */
const received: Array<{ path: string; body: Record<string, unknown> }> = [];
let status = 200;
const receiver = http.createServer((req, res) => {
  let data = "";
  req.on("data", (c) => {
    data += c;
  });
  req.on("end", () => {
    received.push({ path: req.url ?? "", body: JSON.parse(data) });
    res.writeHead(status).end();
  });
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  await sql.end();
});

beforeEach(async () => {
  await truncateAll(sql);
  received.length = 0;
  status = 200;
  await seedSource(sql);
  await saveAlertWebhook(sql, {
    name: "ops",
    url: `${base}/slack`,
    format: "slack",
    cooldownSec: 900,
    enabled: true,
  });
  await saveAlertWebhook(sql, {
    name: "siem",
    url: `${base}/generic`,
    format: "generic",
    cooldownSec: 900,
    enabled: true,
  });
  await sql`update alert_webhooks set created_at = ${at(-60)}`;
  await sql`
    insert into patterns (id, source_id, realm, cause, scope_kind, scope_value, client_id, status, first_seen,
                          last_seen, event_count, affected_users, peak_score)
    values (${PATTERN_ID}, ${SOURCE_ID}, 'acme', 'missing-role', 'client', 'orders-api', 'orders-api', 'open',
            ${at(0)}, ${at(5)}, 40, 7, 5.5)`;
});

const pathsReceived = () => received.map((r) => r.path).sort();

describe("pattern alerts", () => {
  it("announces a new pattern once per webhook, in each webhook's format", async () => {
    expect(await dispatchPatternAlerts(sql, at(6))).toMatchObject({ sent: 2, failed: 0 });
    expect(pathsReceived()).toEqual(["/generic", "/slack"]);
    const slack = received.find((r) => r.path === "/slack")?.body;
    expect(slack?.text).toMatch(
      /^New pattern: Missing role for client orders-api in realm acme: 40 failures/,
    );
    expect(received.find((r) => r.path === "/generic")?.body).toMatchObject({
      event: "pattern.opened",
      pattern: { id: PATTERN_ID, eventCount: 40 },
    });

    await dispatchPatternAlerts(sql, at(7));
    expect(received).toHaveLength(2);
  });

  it("does not send twice when two pollers dispatch at the same moment", async () => {
    await Promise.all([dispatchPatternAlerts(sql, at(6)), dispatchPatternAlerts(sql, at(6))]);
    expect(pathsReceived()).toEqual(["/generic", "/slack"]);
  });

  it("announces an escalation after the cooldown, not within it, and never a resolved pattern", async () => {
    await dispatchPatternAlerts(sql, at(6));
    await sql`update patterns set event_count = 95, last_seen = ${at(10)}`;
    await dispatchPatternAlerts(sql, at(11));
    expect(received).toHaveLength(2);

    await dispatchPatternAlerts(sql, at(6 + 16));
    expect(received).toHaveLength(4);
    expect(
      received.find((r) => r.path === "/slack" && String(r.body.text).startsWith("Pattern escalating")),
    ).toBeTruthy();

    await sql`update patterns set status = 'resolved', event_count = 1000`;
    await dispatchPatternAlerts(sql, at(120));
    expect(received).toHaveLength(4);
  });

  it("records a failed delivery with its HTTP status", async () => {
    status = 500;
    expect(await dispatchPatternAlerts(sql, at(6))).toMatchObject({ sent: 0, failed: 2 });
    const rows = await sql`select status, http_status as "httpStatus" from alert_deliveries`;
    expect(rows.map((r) => [r.status, r.httpStatus])).toEqual([
      ["failed", 500],
      ["failed", 500],
    ]);
  });

  it("sends a test alert to every webhook on request", async () => {
    const results = await sendTestAlert(sql, at(0));
    expect(results.map((r) => [r.webhook, r.ok])).toEqual([
      ["ops", true],
      ["siem", true],
    ]);
    expect(received.find((r) => r.path === "/slack")?.body.text).toMatch(/^Test alert:/);
  });

  it("keeps webhook URLs sealed in the database", async () => {
    const rows = await sql<{ urlCipher: string }[]>`select url_cipher as "urlCipher" from alert_webhooks`;
    for (const r of rows) expect(r.urlCipher).not.toContain("127.0.0.1");
  });
});

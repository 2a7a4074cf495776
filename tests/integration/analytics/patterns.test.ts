import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPatterns } from "@/lib/analytics/queries/list-patterns";
import { getPatternDetail } from "@/lib/analytics/queries/pattern-detail";
import { refreshPatterns } from "@/lib/analytics/queries/refresh-patterns";
import {
  type PlantedIncident,
  syntheticAdminEvents,
  syntheticUserEvents,
  syntheticUserId,
} from "@/lib/analytics/synthetic-events";
import { testSql, truncateAll } from "../helpers/db";
import { SOURCE_ID, seedAdminEvents, seedUserEvents } from "./seed";

const sql = testSql();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const INCIDENT = Date.parse("2026-06-02T13:00:00Z");
const NOW = INCIDENT + 3 * HOUR + 20 * 60_000;
const ORDERS_API = "5e6f7a80-aaaa-4bbb-8ccc-0123456789ab";
const LOCKED_OUT = syntheticUserId(0, 0);

const incidents: PlantedIncident[] = [
  {
    realm: "acme",
    clientId: "orders-api",
    from: INCIDENT,
    to: INCIDENT + 3 * HOUR,
    perHour: 120,
    type: "HTTP_DENIAL",
    error: null,
    cause: "missing-role",
    origin: "report",
    users: 40,
    change: {
      minutesBefore: 20,
      operationType: "DELETE",
      resourceType: "CLIENT_ROLE_MAPPING",
      resourcePath: `users/${syntheticUserId(0, 0)}/role-mappings/clients/${ORDERS_API}`,
      representation: JSON.stringify([{ name: "orders-read", clientRole: true, containerId: ORDERS_API }]),
    },
  },
  // A proxy change hits every client of a realm a little: a realm-wide incident.
  ...["orders-ui", "billing-ui", "reports-job", "account-console"].map((clientId) => ({
    realm: "retail",
    clientId,
    from: INCIDENT + HOUR,
    to: INCIDENT + 3 * HOUR,
    perHour: 20,
    type: "LOGIN_ERROR",
    error: "cookie_not_found",
    cause: "proxy-misconfig",
    users: 200,
  })),
  // One account hammered into lockout (an incident with one user: user 0).
  {
    realm: "acme",
    clientId: "orders-ui",
    from: INCIDENT + HOUR,
    to: INCIDENT + 3 * HOUR,
    perHour: 60,
    type: "LOGIN_ERROR",
    error: "user_temporarily_disabled",
    cause: "user-state",
    users: 1,
  },
];

beforeAll(async () => {
  await truncateAll(sql);
  const opts = {
    seed: 21,
    sourceId: SOURCE_ID,
    from: INCIDENT - 35 * DAY,
    to: NOW,
    events: 40_000,
    incidents,
  };
  await seedUserEvents(sql, syntheticUserEvents(opts));
  await seedAdminEvents(sql, syntheticAdminEvents(opts));
});
afterAll(() => sql.end());

describe("refreshPatterns", () => {
  it("opens one pattern per incident, scoped to the client, the realm or the user it hit", async () => {
    const result = await refreshPatterns(sql, { now: NOW });
    expect(result).toMatchObject({ skipped: false, created: 3, updated: 0, resolved: 0 });
    const patterns = await listPatterns(sql, {});
    const byCause = Object.fromEntries(patterns.map((p) => [p.cause, p]));
    expect(byCause["missing-role"]).toMatchObject({
      realm: "acme",
      scopeKind: "client",
      scopeValue: "orders-api",
      status: "ongoing",
      firstSeen: INCIDENT,
      lastSeen: INCIDENT + 3 * HOUR,
    });
    expect(byCause["missing-role"]?.eventCount).toBeGreaterThanOrEqual(360);
    expect(byCause["missing-role"]?.eventCount).toBeLessThan(370);
    expect(byCause["missing-role"]?.topSuspect).toMatch(
      /^Role mapping removed from user user00000 \(orders-read\) 20 minutes before the spike; /,
    );
    expect(byCause["proxy-misconfig"]).toMatchObject({ realm: "retail", scopeKind: "realm", scopeValue: "" });
    expect(byCause["user-state"]).toMatchObject({ realm: "acme", scopeKind: "user", scopeValue: LOCKED_OUT });
    expect(patterns).toHaveLength(3);
  });

  it("changes nothing when run again at the same moment", async () => {
    const result = await refreshPatterns(sql, { now: NOW });
    expect(result).toMatchObject({ created: 0, updated: 0, resolved: 0 });
  });

  it("explains a pattern: chart, attribution, samples and the suspected change", async () => {
    const [pattern] = await listPatterns(sql, { realm: "acme", statuses: ["ongoing", "open"] }).then((ps) =>
      ps.filter((p) => p.cause === "missing-role"),
    );
    const detail = await getPatternDetail(sql, { id: pattern!.id, timeZone: "Europe/Berlin", now: NOW });
    expect(detail?.series.bucket).toBe("hour");
    expect(detail?.series.total).toBeGreaterThanOrEqual(360);
    expect(detail?.attribution.client.contributors[0]).toMatchObject({ value: "orders-api" });
    expect(detail?.attribution.client.contributors[0]?.share).toBeCloseTo(1, 5);
    expect(detail?.attribution.user.contributors).toHaveLength(10);
    expect(detail?.attribution.user.otherShare).toBeGreaterThan(0);
    expect(detail?.samples).toHaveLength(5);
    expect(detail?.pattern.suspectedChanges[0]?.kind).toBe("user-role-mapping-removed");
    expect(detail?.pattern.evidence).toMatch(/failures in 3 hours from 13:00 where about [\d.]+ are usual/);
    expect(await getPatternDetail(sql, { id: "not-a-uuid", timeZone: "UTC" })).toBeNull();
  });

  it("resolves the patterns once failures have been quiet for three hours", async () => {
    const result = await refreshPatterns(sql, { now: NOW + 4 * HOUR });
    expect(result).toMatchObject({ created: 0, resolved: 3 });
    expect((await listPatterns(sql, { statuses: ["resolved"] })).length).toBe(3);
  });
});

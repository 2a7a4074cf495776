import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attributeExcess } from "@/lib/analytics/attribution";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { listPatterns } from "@/lib/queries/patterns/list-patterns";
import { getPatternDetail } from "@/lib/queries/patterns/pattern-detail";
import { forgetPatternPeople, forgetSuspectPeople } from "@/lib/retention/forget-pattern-people";
import { SOURCE_ID, seedAdminEvents, seedUserEvents } from "@/testkit/seed-events";
import {
  type PlantedIncident,
  syntheticAdminEvents,
  syntheticUserEvents,
  syntheticUserId,
} from "@/testkit/synthetic-events";
import { testSql, truncateAll } from "../helpers/db";

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
    expect(result).toMatchObject({ skipped: false, updated: 0, resolved: 0, removed: 0 });
    const patterns = await listPatterns(sql, {});
    expect(result.created).toBe(patterns.length);
    const acute = patterns.filter((p) => p.kind === "acute");
    const byCause = Object.fromEntries(acute.map((p) => [p.cause, p]));
    expect(byCause["missing-role"]).toMatchObject({
      realm: "acme",
      scopeKind: "client",
      scopeValue: "orders-api",
      status: "ongoing",
      lastSeen: INCIDENT + 3 * HOUR,
    });
    // The onset is the first failure, to the millisecond.
    expect(byCause["missing-role"]!.firstSeen - INCIDENT).toBeGreaterThanOrEqual(0);
    expect(byCause["missing-role"]!.firstSeen - INCIDENT).toBeLessThan(60_000);
    expect(byCause["missing-role"]?.eventCount).toBeGreaterThanOrEqual(360);
    expect(byCause["missing-role"]?.eventCount).toBeLessThan(370);
    expect(byCause["missing-role"]?.topSuspect?.reason).toMatch(
      /^Role mapping removed from user user00000 \(orders-read\) 20 minutes before the spike; /,
    );
    expect(byCause["missing-role"]?.topSuspect).toMatchObject({
      resourceName: "roles orders-read of client 5e6f7a80-aaaa-4bbb-8ccc-0123456789ab of user user00000",
    });
    // Four clients hit in the same hour by one proxy change: one pattern of the realm's every client.
    expect(byCause["proxy-misconfig"]).toMatchObject({
      realm: "retail",
      scopeKind: "realm",
      scopeValue: "*",
    });
    expect(byCause["proxy-misconfig"]?.eventCount).toBeGreaterThanOrEqual(150);
    expect(byCause["user-state"]).toMatchObject({ realm: "acme", scopeKind: "user", scopeValue: LOCKED_OUT });
    expect(acute).toHaveLength(3);
    // The background's steady trickles of a cause may be chronic patterns; nothing else is.
    expect(patterns.filter((p) => p.kind !== "acute").every((p) => p.kind === "chronic")).toBe(true);
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
    expect(detail?.pattern.evidence).toMatch(
      /^36\d failures over 3 hours since Tue 2 Jun, 13:00, up to 1\d\d in an hour where none are usual$/,
    );
    expect(await getPatternDetail(sql, { id: "not-a-uuid", timeZone: "UTC" })).toBeNull();
  });

  it("attributes the increase to the users and addresses of every failure, a user's pattern to that user", async () => {
    const patterns = await listPatterns(sql, { realm: "acme" });
    for (const pattern of patterns) {
      const detail = await getPatternDetail(sql, { id: pattern.id, timeZone: "UTC", now: NOW });
      const spikeTo = Math.max(pattern.lastSeen, pattern.firstSeen + 60_000);
      const rows = await sql<
        { in_spike: boolean; user_id: string | null; ip_address: string | null; n: number }[]
      >`
        select time >= ${new Date(pattern.firstSeen)} as in_spike, user_id, ip_address, count(*)::int as n
        from user_events
        where realm = 'acme' and cause = ${pattern.cause} and is_failure
          and time >= ${new Date(pattern.firstSeen - 7 * DAY)} and time < ${new Date(spikeTo)}
          ${pattern.scopeKind === "client" ? sql`and client_id = ${pattern.scopeValue}` : sql``}
          ${pattern.scopeKind === "user" ? sql`and user_id = ${pattern.scopeValue}` : sql``}
        group by 1, 2, 3`;
      const counts = (inSpike: boolean) =>
        rows
          .filter((r) => r.in_spike === inSpike)
          .flatMap((r) => [
            ...(r.user_id ? [{ dimension: "user" as const, value: r.user_id, count: r.n }] : []),
            ...(r.ip_address ? [{ dimension: "ip" as const, value: r.ip_address, count: r.n }] : []),
          ]);
      const expected = attributeExcess({
        spike: counts(true),
        baseline: counts(false),
        scale: (spikeTo - pattern.firstSeen) / (7 * DAY),
      });
      expect(detail?.attribution.user).toEqual(expected.user);
      expect(detail?.attribution.ip).toEqual(expected.ip);
    }
    const lockout = patterns.find((p) => p.scopeKind === "user");
    const detail = await getPatternDetail(sql, { id: lockout!.id, timeZone: "UTC", now: NOW });
    expect(detail?.attribution.user.contributors.map((c) => c.value)).toEqual([LOCKED_OUT]);
  });

  it("still shows who a pattern hit after retention deleted its events", async () => {
    const [pattern] = (await listPatterns(sql, { realm: "acme" })).filter((p) => p.cause === "missing-role");
    const before = await getPatternDetail(sql, { id: pattern!.id, timeZone: "UTC", now: NOW });
    const purged = await sql
      .begin(async (tx) => {
        await tx`delete from user_events where realm = 'acme'`;
        const detail = await getPatternDetail(tx, { id: pattern!.id, timeZone: "UTC", now: NOW });
        throw Object.assign(new Error("roll back"), { detail });
      })
      .catch((err: { detail?: unknown }) => err.detail);
    expect(purged).toMatchObject({ attribution: before!.attribution, series: before!.series, samples: [] });
  });

  it("forgets the users and addresses of patterns that ended before the user-event cutoff", async () => {
    const [pattern] = (await listPatterns(sql, { realm: "acme" })).filter((p) => p.cause === "missing-role");
    const before = await getPatternDetail(sql, { id: pattern!.id, timeZone: "UTC", now: NOW });
    expect(before?.attribution.user.contributors.length).toBeGreaterThan(0);
    const [kept, forgotten, after] = await sql
      .begin(async (tx) => {
        const kept = await forgetPatternPeople(tx, new Date(pattern!.firstSeen));
        const forgotten = await forgetPatternPeople(tx, new Date(NOW + DAY));
        const after = await getPatternDetail(tx, { id: pattern!.id, timeZone: "UTC", now: NOW });
        throw Object.assign(new Error("roll back"), { result: [kept, forgotten, after] });
      })
      .catch(
        (err: { result?: [number, number, Awaited<ReturnType<typeof getPatternDetail>>] }) => err.result!,
      );
    // Only patterns that ended before the cutoff lose their people (the background's earlier chronic ones).
    const withPeople = (before: number) =>
      sql<{ n: number }[]>`
        select count(*)::int as n from patterns
        where last_seen < ${new Date(before)}
          and exists (select 1 from jsonb_array_elements(contributors) c where c->>0 in ('user', 'ip'))`.then(
        ([r]) => r!.n,
      );
    expect(kept).toBe(await withPeople(pattern!.firstSeen));
    expect(kept + forgotten).toBe(await withPeople(NOW + DAY));
    expect(forgotten).toBeGreaterThanOrEqual(3);
    expect(after?.attribution.user.contributors).toEqual([]);
    expect(after?.attribution.ip.contributors).toEqual([]);
    expect(after?.attribution.client).toEqual(before?.attribution.client);
  });

  it("forgets the admins and users its suspected changes name once the pattern ended before the cutoff", async () => {
    const [pattern] = (await listPatterns(sql, { realm: "acme" })).filter((p) => p.cause === "missing-role");
    const suspects = [
      {
        adminEventId: "a1",
        time: pattern!.firstSeen - 60_000,
        operationType: "DELETE",
        resourceType: "REALM_ROLE_MAPPING",
        resourcePath: "users/6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f/role-mappings/realm",
        resourceName: "user marco.rossi",
        by: "root-admin",
        kind: "role-mapping",
        score: 0.9,
        reason: "Realm role orders-admin removed from user marco.rossi 1 min before the onset.",
      },
      {
        adminEventId: "a2",
        time: pattern!.firstSeen - 120_000,
        operationType: "UPDATE",
        resourceType: "CLIENT",
        resourcePath: "clients/9a0b",
        resourceName: "client acme-orders-api",
        by: "root-admin",
        kind: "client-config",
        score: 0.5,
        reason: "Client acme-orders-api updated 2 min before the onset.",
      },
    ];
    const after = await sql
      .begin(async (tx) => {
        await tx`update patterns set suspected_changes = ${tx.json(suspects)} where id = ${pattern!.id}`;
        expect(await forgetSuspectPeople(tx, new Date(pattern!.firstSeen))).toBe(0); // not ended yet
        expect(await forgetSuspectPeople(tx, new Date(NOW + DAY))).toBeGreaterThanOrEqual(1);
        expect(await forgetSuspectPeople(tx, new Date(NOW + DAY))).toBe(0); // done once
        const [row] = await tx<
          { s: unknown }[]
        >`select suspected_changes as s from patterns where id = ${pattern!.id}`;
        throw Object.assign(new Error("roll back"), { row });
      })
      .catch((err: { row?: { s: unknown } }) => err.row!.s);
    const text = JSON.stringify(after);
    expect(text).not.toMatch(/marco\.rossi|root-admin/);
    expect(after).toMatchObject([
      {
        by: null,
        resourceName: "a user",
        reason: "Realm role orders-admin removed from a user 1 min before the onset.",
      },
      { by: null, resourceName: "client acme-orders-api", reason: suspects[1]!.reason },
    ]);
  });

  it("keeps them open while nothing shows the failures stopped, and resolves them after a quiet day", async () => {
    // The history ends at NOW: no traffic since, so no evidence either way.
    const early = await refreshPatterns(sql, { now: NOW + 4 * HOUR });
    expect(early).toMatchObject({ created: 0, removed: 0 });
    const acute = () => listPatterns(sql, {}).then((ps) => ps.filter((p) => p.kind === "acute"));
    expect((await acute()).every((p) => p.status === "ongoing")).toBe(true);
    const result = await refreshPatterns(sql, { now: NOW + 25 * HOUR });
    expect(result).toMatchObject({ created: 0, removed: 0 });
    expect((await acute()).every((p) => p.status === "resolved")).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";
import { getClientDrilldown } from "@/lib/queries/drilldown/client-drilldown";
import { getUserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { getFailureSeries } from "@/lib/queries/overview/failure-series";
import { listTopUsersAndIps } from "@/lib/queries/overview/list-top-users-and-ips";
import { listTopClients } from "@/lib/queries/overview/top-clients";
import { listTopErrors } from "@/lib/queries/overview/top-errors";
import { eventRow, SOURCE_ID, seedAdminEvents, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../../helpers/db";

const sql = testSql();
const utc = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;
const ALICE = "6f1c2a7e-0b1d-4c55-9d0a-3e2b8f1a9c01";
const BOB = "9a8b7c6d-1111-4222-8333-444455556666";
const ORDERS_UI = "1d2e3f40-aaaa-4bbb-8ccc-0123456789ab";

let n = 0;
const ev = (iso: string, over: Partial<UserEventRow> = {}) =>
  eventRow({ id: `e${++n}`, time: utc(iso), ...over });

const admin = (iso: string, over: Partial<AdminEventRow>): AdminEventRow => ({
  sourceId: SOURCE_ID,
  realm: "acme",
  id: `a${++n}`,
  time: utc(iso),
  realmId: null,
  authRealmId: null,
  authClientId: null,
  authUserId: null,
  authIpAddress: null,
  operationType: "UPDATE",
  resourceType: null,
  resourcePath: null,
  representation: null,
  error: null,
  details: null,
  origin: "api",
  ...over,
});

beforeAll(async () => {
  await truncateAll(sql);
  await seedUserEvents(sql, [
    // Around the Berlin spring change: 2026-03-29 is a 23-hour local day from 2026-03-28T23:00Z.
    ev("2026-03-28T22:59:00Z", { cause: "missing-role" }), // 23:59 on the 28th in Berlin
    ev("2026-03-28T23:00:00Z", { cause: "missing-role" }), // 00:00 on the 29th
    ev("2026-03-29T21:59:00Z", { cause: "cors" }), // 23:59 CEST on the 29th
    ev("2026-03-29T22:00:00Z", { cause: "cors" }), // 00:00 on the 30th
    ev("2026-03-29T10:00:00Z", { type: "LOGIN", error: null, cause: null, isFailure: false }),
    // Either side of Kolkata midnight (18:30Z): two different local days there.
    ev("2026-05-01T18:15:00Z", {
      clientId: "billing-ui",
      userId: BOB,
      username: "bob",
      ipAddress: "10.0.0.2",
    }),
    ev("2026-05-01T18:45:00Z", {
      clientId: "billing-ui",
      userId: BOB,
      username: "bob",
      ipAddress: "10.0.0.2",
    }),
    // A user's story: failures, a lockout, denials while locked.
    ev("2026-05-02T09:00:00Z", { userId: ALICE, username: "alice" }),
    ev("2026-05-02T09:01:00Z", { userId: ALICE, username: "alice" }),
    ev("2026-05-02T09:01:30Z", {
      userId: ALICE,
      username: "alice",
      type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
      error: null,
      cause: "user-state",
      clientId: null,
    }),
    ev("2026-05-02T09:05:00Z", {
      userId: ALICE,
      username: "alice",
      error: "user_temporarily_disabled",
      cause: "user-state",
    }),
    ev("2026-05-02T09:20:00Z", {
      userId: ALICE,
      username: "alice",
      type: "HTTP_DENIAL",
      error: null,
      cause: "missing-role",
      origin: "report",
      ipAddress: "10.0.0.9",
    }),
  ]);
  await seedAdminEvents(sql, [
    admin("2026-05-02T08:40:00Z", {
      operationType: "DELETE",
      resourceType: "REALM_ROLE_MAPPING",
      resourcePath: `users/${ALICE}/role-mappings/realm`,
      representation: JSON.stringify([{ name: "orders-read" }]),
    }),
    admin("2026-05-02T08:41:00Z", { resourceType: "USER", resourcePath: `users/${BOB}` }),
    admin("2026-05-02T07:00:00Z", {
      resourceType: "CLIENT",
      resourcePath: `clients/${ORDERS_UI}`,
      representation: JSON.stringify({ id: ORDERS_UI, clientId: "orders-ui", redirectUris: ["https://o/*"] }),
    }),
    admin("2026-05-02T07:05:00Z", {
      operationType: "ACTION",
      resourceType: "CLIENT",
      resourcePath: `clients/${ORDERS_UI}/client-secret`,
    }),
  ]);
});
afterAll(() => sql.end());

describe("getFailureSeries", () => {
  it("counts failures in the viewer's local days across the spring change", async () => {
    const series = await getFailureSeries(sql, {
      sourceId: SOURCE_ID,
      realm: "acme",
      range: { from: utc("2026-03-27T23:00:00Z"), to: utc("2026-03-30T22:00:00Z") },
      timeZone: "Europe/Berlin",
      bucket: "day",
    });
    expect(series.buckets.map((b) => [(b.end - b.start) / HOUR, b.total, b.values])).toEqual([
      [24, 1, { "missing-role": 1 }],
      [23, 2, { "missing-role": 1, cors: 1 }],
      [24, 1, { cors: 1 }],
    ]);
    expect(series.causes.sort()).toEqual(["cors", "missing-role"]);
  });

  it("splits failures at Kolkata's midnight, half past a UTC hour", async () => {
    const range = { from: utc("2026-04-30T18:30:00Z"), to: utc("2026-05-02T18:30:00Z") };
    const days = await getFailureSeries(sql, {
      realm: "acme",
      clientId: "billing-ui",
      range,
      timeZone: "Asia/Kolkata",
      bucket: "day",
    });
    expect(days.buckets.map((b) => b.total)).toEqual([1, 1]);
    const hours = await getFailureSeries(sql, {
      realm: "acme",
      clientId: "billing-ui",
      range: { from: utc("2026-05-01T17:30:00Z"), to: utc("2026-05-01T19:30:00Z") },
      timeZone: "Asia/Kolkata",
      bucket: "hour",
    });
    expect(hours.buckets.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.total])).toEqual([
      ["17:30", 1],
      ["18:30", 1],
    ]);
  });

  it("shows minutes, and the previous period for comparison", async () => {
    const series = await getFailureSeries(sql, {
      realm: "acme",
      range: { from: utc("2026-05-02T09:00:00Z"), to: utc("2026-05-02T09:30:00Z") },
      timeZone: "UTC",
      compare: true,
    });
    expect(series.bucket).toBe("minute");
    expect(series.buckets).toHaveLength(30);
    expect(series.total).toBe(5);
    expect(series.buckets[1]?.values).toEqual({ "user-credentials": 1, "user-state": 1 });
    expect(series.previous).toMatchObject({
      range: { from: utc("2026-05-02T08:30:00Z"), to: utc("2026-05-02T09:00:00Z") },
      total: 0,
    });
  });
});

describe("top lists", () => {
  const may = { from: utc("2026-05-01T00:00:00Z"), to: utc("2026-05-03T00:00:00Z") };

  it("ranks clients and errors from rollups, exact to the minute at the range edges", async () => {
    const clients = await listTopClients(sql, { realm: "acme", range: may });
    expect(clients.map((c) => [c.clientId, c.failures])).toEqual([
      ["orders-ui", 4],
      ["billing-ui", 2],
      ["", 1],
    ]);
    expect(clients[0]?.causes).toEqual([
      { cause: "user-credentials", failures: 2 },
      { cause: "missing-role", failures: 1 },
      { cause: "user-state", failures: 1 },
    ]);
    const edge = await listTopClients(sql, {
      realm: "acme",
      range: { from: utc("2026-05-01T18:30:00Z"), to: utc("2026-05-02T09:01:00Z") },
    });
    expect(edge.map((c) => [c.clientId, c.failures])).toEqual([
      ["billing-ui", 1],
      ["orders-ui", 1],
    ]);
    const errors = await listTopErrors(sql, { realm: "acme", range: may });
    expect(errors[0]).toEqual({
      type: "LOGIN_ERROR",
      error: "invalid_user_credentials",
      cause: "user-credentials",
      failures: 4,
    });
  });

  it("ranks users and IPs from the events, and says when the scan limit cut the ranking short", async () => {
    const { users } = await listTopUsersAndIps(sql, { realm: "acme", range: may });
    expect(users.rows.map((u) => [u.username, u.failures])).toEqual([
      ["alice", 5],
      ["bob", 2],
    ]);
    expect(users.complete).toBe(true);
    const { ips } = await listTopUsersAndIps(sql, { realm: "acme", range: may, scanLimit: 3 });
    expect(ips.scanned).toBe(3);
    expect(ips.complete).toBe(false);
  });
});

describe("getUserDrilldown", () => {
  it("tells why alice cannot log in: a removed role mapping, then a lockout", async () => {
    const d = await getUserDrilldown(sql, {
      sourceId: SOURCE_ID,
      realm: "acme",
      userId: ALICE,
      range: { from: utc("2026-05-02T00:00:00Z"), to: utc("2026-05-03T00:00:00Z") },
    });
    expect(d.names.map((x) => x.username)).toEqual(["alice"]);
    expect(d.failures).toBe(5);
    expect(d.countsComplete).toBe(true);
    expect(d.byCause).toEqual([
      { cause: "user-credentials", failures: 2 },
      { cause: "user-state", failures: 2 },
      { cause: "missing-role", failures: 1 },
    ]);
    expect(d.byClient).toEqual([
      { clientId: "orders-ui", failures: 4 },
      { clientId: "", failures: 1 },
    ]);
    expect(d.events.map((e) => e.type)).toEqual([
      "HTTP_DENIAL",
      "LOGIN_ERROR",
      "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
      "LOGIN_ERROR",
      "LOGIN_ERROR",
    ]);
    expect(d.adminEvents.map((a) => a.kind)).toEqual(["user-role-mapping-removed"]);
    expect(d.lockout).toEqual({
      state: "locked",
      permanent: false,
      lockedAt: utc("2026-05-02T09:01:30Z"),
      deniedSince: utc("2026-05-02T09:05:00Z"),
    });
  });

  it("finds a lockout from before the range when the range shows logins denied as locked", async () => {
    const d = await getUserDrilldown(sql, {
      realm: "acme",
      userId: ALICE,
      range: { from: utc("2026-05-02T09:03:00Z"), to: utc("2026-05-02T09:30:00Z") },
    });
    expect(d.lockout).toMatchObject({ state: "locked", lockedAt: utc("2026-05-02T09:01:30Z") });
    const before = await getUserDrilldown(sql, {
      realm: "acme",
      userId: ALICE,
      range: { from: utc("2026-05-02T08:00:00Z"), to: utc("2026-05-02T09:01:00Z") },
    });
    expect(before.lockout).toEqual({ state: "none" });
  });

  it("counts a service account's newest events and says the counts are not complete", async () => {
    const start = utc("2026-05-05T00:00:00Z");
    await seedUserEvents(
      sql,
      Array.from({ length: 5_100 }, (_, i) =>
        ev("2026-05-05T00:00:00Z", { time: start + i * 1000, userId: "svc" }),
      ),
    );
    const d = await getUserDrilldown(sql, {
      realm: "acme",
      userId: "svc",
      range: { from: start, to: start + 86_400_000 },
    });
    expect(d.countsComplete).toBe(false);
    expect(d.failures).toBe(5_000);
    expect(d.events[0]?.time).toBe(start + 5_099_000);
  });

  it("shows a lockout cleared by an admin", async () => {
    await seedAdminEvents(sql, [
      admin("2026-05-02T10:00:00Z", {
        operationType: "DELETE",
        resourcePath: `attack-detection/brute-force/users/${ALICE}`,
      }),
    ]);
    const d = await getUserDrilldown(sql, {
      realm: "acme",
      userId: ALICE,
      range: { from: utc("2026-05-02T00:00:00Z"), to: utc("2026-05-03T00:00:00Z") },
    });
    expect(d.lockout).toMatchObject({
      state: "cleared",
      clearedBy: "admin",
      clearedAt: utc("2026-05-02T10:00:00Z"),
    });
    expect(d.adminEvents.map((a) => a.kind)).toEqual(["user-lockout-cleared", "user-role-mapping-removed"]);
  });
});

describe("getClientDrilldown", () => {
  it("finds the client's UUID from admin events and lists its changes", async () => {
    const d = await getClientDrilldown(sql, {
      sourceId: SOURCE_ID,
      realm: "acme",
      clientId: "orders-ui",
      range: { from: utc("2026-05-02T00:00:00Z"), to: utc("2026-05-03T00:00:00Z") },
      timeZone: "Europe/Berlin",
    });
    expect(d.uuids).toEqual([ORDERS_UI]);
    expect(d.adminEvents.map((a) => a.kind)).toEqual(["client-secret-changed", "client-updated"]);
    expect(d.series.total).toBe(4);
    expect(d.recentFailures).toHaveLength(4);
    expect(d.topUsers.rows[0]).toMatchObject({ userId: ALICE, failures: 4 });
  });

  it("lists only the client's own failures inside the range, not a neighbouring client's", async () => {
    const day = { from: utc("2026-06-10T00:00:00Z"), to: utc("2026-06-11T00:00:00Z") };
    await seedUserEvents(sql, [
      ev("2026-06-10T00:00:00Z", { clientId: "orders-ui", userId: BOB }),
      ev("2026-06-10T12:00:00Z", { clientId: "orders-ui", userId: BOB }),
      ev("2026-06-10T12:00:00Z", { clientId: "orders-ui", userId: BOB, type: "LOGIN", isFailure: false }),
      ev("2026-06-10T13:00:00Z", { clientId: "orders-ui2", userId: ALICE }),
      ev("2026-06-10T13:00:00Z", { clientId: "orders-u", userId: ALICE }),
      ev("2026-06-10T14:00:00Z", { clientId: "orders-ui", userId: ALICE, realm: "retail" }),
      ev("2026-06-09T23:59:59Z", { clientId: "orders-ui", userId: ALICE }),
      ev("2026-06-11T00:00:00Z", { clientId: "orders-ui", userId: ALICE }),
    ]);
    const d = await getClientDrilldown(sql, {
      realm: "acme",
      clientId: "orders-ui",
      range: day,
      timeZone: "UTC",
    });
    expect(d.recentFailures.map((f) => f.time)).toEqual([
      utc("2026-06-10T12:00:00Z"),
      utc("2026-06-10T00:00:00Z"),
    ]);
    expect(d.topUsers.rows).toEqual([expect.objectContaining({ userId: BOB, failures: 2 })]);
    expect(d.series.total).toBe(2);
  });
});

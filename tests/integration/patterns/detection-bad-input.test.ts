import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { listPatterns } from "@/lib/queries/patterns/list-patterns";
import { eventRow, SOURCE_ID, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../helpers/db";

/**
 * Detection on histories that are not what it expects: nothing stored, a realm with no traffic, a Keycloak whose
 * clock runs ahead (events stamped in the future), a history with a recorded gap. No error, no phantom pattern.
 */
const sql = testSql();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-09-10T12:30:00Z");

beforeEach(() => truncateAll(sql));
afterAll(() => sql.end());

/** A client's steady traffic: `perHour` successful logins an hour and, from `failFrom` to `failTo`, failures. */
function traffic(opts: {
  from: number;
  to: number;
  perHour: number;
  failFrom?: number;
  failTo?: number;
  failPerHour?: number;
}): UserEventRow[] {
  const rows: UserEventRow[] = [];
  let n = 0;
  for (let hour = opts.from; hour < opts.to; hour += HOUR) {
    for (let i = 0; i < opts.perHour; i++) {
      const time = hour + Math.floor(((i + 0.5) * HOUR) / opts.perHour);
      rows.push(
        eventRow({
          id: `ok-${n++}`,
          time,
          type: "CLIENT_LOGIN",
          error: null,
          isFailure: false,
          cause: null,
          clientId: "orders-api",
          userId: "svc",
        }),
      );
    }
    if (
      opts.failFrom !== undefined &&
      hour >= opts.failFrom &&
      hour < (opts.failTo ?? Number.POSITIVE_INFINITY)
    ) {
      for (let i = 0; i < (opts.failPerHour ?? 20); i++) {
        rows.push(
          eventRow({
            id: `ko-${n++}`,
            time: hour + Math.floor(((i + 0.25) * HOUR) / (opts.failPerHour ?? 20)),
            type: "CLIENT_LOGIN_ERROR",
            error: "invalid_client_credentials",
            cause: "client-auth",
            clientId: "orders-api",
            userId: null,
          }),
        );
      }
    }
  }
  return rows;
}

describe("pattern detection on bad histories", () => {
  it("finds nothing and fails on nothing in an empty database", async () => {
    const result = await refreshPatterns(sql, { now: NOW });
    expect(result).toMatchObject({ skipped: false, series: 0, created: 0, removed: 0 });
    expect(await listPatterns(sql, {})).toEqual([]);
  });

  it("finds nothing in a realm whose traffic never fails", async () => {
    await seedUserEvents(sql, traffic({ from: NOW - 10 * DAY, to: NOW, perHour: 12 }));
    const result = await refreshPatterns(sql, { now: NOW });
    expect(result).toMatchObject({ series: 0, created: 0 });
  });

  it("waits for events stamped in the future (a Keycloak clock ahead) instead of opening a pattern on them", async () => {
    // Normal traffic up to now, and a burst of failures stamped two hours ahead.
    await seedUserEvents(sql, [
      ...traffic({ from: NOW - 3 * DAY, to: NOW, perHour: 12 }),
      ...traffic({
        from: NOW + 2 * HOUR,
        to: NOW + 3 * HOUR,
        perHour: 0,
        failFrom: NOW + 2 * HOUR,
        failPerHour: 50,
      }),
    ]);
    const result = await refreshPatterns(sql, { now: NOW });
    expect(result.created).toBe(0);
    expect(await listPatterns(sql, {})).toEqual([]);
    // When their time comes, they count.
    const later = await refreshPatterns(sql, { now: NOW + 3 * HOUR });
    expect(later.created).toBe(1);
  });

  it("neither ends nor starts an incident inside a recorded event gap", async () => {
    const failFrom = NOW - 2 * DAY;
    await seedUserEvents(
      sql,
      traffic({ from: NOW - 5 * DAY, to: NOW, perHour: 12, failFrom, failPerHour: 20 }).filter(
        // The events of the gap never arrived.
        (r) => r.time < NOW - DAY || r.time >= NOW - DAY + 6 * HOUR,
      ),
    );
    await sql`
      insert into event_gaps (source_id, realm, kind, from_time, to_time, reason)
      values (${SOURCE_ID}, 'acme', 'user', ${new Date(NOW - DAY)}, ${new Date(NOW - DAY + 6 * HOUR)}, 'expired')`;
    await refreshPatterns(sql, { now: NOW });
    const patterns = await listPatterns(sql, {});
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({ cause: "client-auth", scopeValue: "orders-api", status: "ongoing" });
    expect(patterns[0]!.firstSeen).toBeGreaterThanOrEqual(failFrom);
    expect(patterns[0]!.firstSeen).toBeLessThan(failFrom + HOUR);
  });

  it("keeps a pattern open through a quiet night and resolves it once the traffic goes on without failures", async () => {
    const hour = Math.floor(NOW / HOUR) * HOUR;
    const failFrom = hour - 2 * DAY;
    const fixedAt = hour - 10 * HOUR;
    await seedUserEvents(
      sql,
      traffic({ from: hour - 5 * DAY, to: NOW, perHour: 12, failFrom, failTo: fixedAt }),
    );
    await refreshPatterns(sql, { now: NOW });
    const [pattern] = await listPatterns(sql, {});
    expect(pattern).toMatchObject({ status: "resolved", lastSeen: fixedAt });
  });
});

describe("the realm's traffic as the stand-in reference", () => {
  it("keeps a pattern of a kind Keycloak stores no successes of ongoing while another incident floods the realm", async () => {
    // PERMISSION_TOKEN successes are not saved by default: the realm's activity says whether a quiet hour of an
    // authorization-policy incident means it stopped. Two failures an hour against 40 logins an hour; then one
    // quiet hour and the half hour since, in which the realm's users still log in (predicted about 3 failures:
    // no evidence of an end) while a brute force on another client adds 400 failed logins an hour. Those failures
    // are not activity the policy would meet: counted as traffic, they predicted 20 failures and resolved the
    // pattern at once.
    const hour = Math.floor(NOW / HOUR) * HOUR;
    const rows: UserEventRow[] = [];
    let n = 0;
    for (let h = hour - 4 * DAY; h <= hour; h += HOUR) {
      for (let i = 0; i < 40; i++) {
        const time = h + Math.floor(((i + 0.5) * HOUR) / 40);
        if (time < NOW)
          rows.push(
            eventRow({
              id: `ok-${n++}`,
              time,
              type: "LOGIN",
              error: null,
              isFailure: false,
              cause: null,
              clientId: "orders-ui",
              userId: `u-${i}`,
            }),
          );
      }
      if (h < hour - HOUR)
        for (const at of [0.2, 0.7])
          rows.push(
            eventRow({
              id: `authz-${n++}`,
              time: h + at * HOUR,
              type: "PERMISSION_TOKEN_ERROR",
              error: "access_denied",
              cause: "authz-policy",
              clientId: "reports-job",
              userId: "svc-reports",
            }),
          );
      if (h >= hour - HOUR)
        for (let i = 0; i < 400 && h + i * 9_000 < NOW; i++)
          rows.push(
            eventRow({
              id: `flood-${n++}`,
              time: h + i * 9_000,
              type: "LOGIN_ERROR",
              error: "invalid_user_credentials",
              cause: "user-credentials",
              clientId: "account-console",
              userId: "u-target",
            }),
          );
    }
    await seedUserEvents(sql, rows);
    await refreshPatterns(sql, { now: NOW });
    const authz = (await listPatterns(sql, {})).filter((p) => p.cause === "authz-policy");
    expect(authz).toHaveLength(1);
    // One service account fails: the pattern is that account's, of that client.
    expect(authz[0]).toMatchObject({ clientId: "reports-job", status: "ongoing" });
  });
});

describe("an account's lockout", () => {
  it("is resolved once the user logs in after it, though the lockout and the login share an hour", async () => {
    // The account is locked from 08:10: 30 logins refused with user_temporarily_disabled. The lock expires and the
    // user logs in at 08:50. Nothing else happens in the user's traffic: no quiet hour with traffic says it ended,
    // only the login after the last failure does.
    const hour = Math.floor(NOW / HOUR) * HOUR - 4 * HOUR;
    const rows: UserEventRow[] = [];
    for (let d = 7; d >= 1; d--)
      rows.push(
        eventRow({
          id: `usual-${d}`,
          time: hour - d * DAY,
          type: "LOGIN",
          error: null,
          isFailure: false,
          cause: null,
          userId: "u-locked",
        }),
      );
    for (let i = 0; i < 30; i++)
      rows.push(
        eventRow({
          id: `locked-${i}`,
          time: hour + 10 * 60_000 + i * 20_000,
          type: "LOGIN_ERROR",
          error: "user_temporarily_disabled",
          cause: "user-state",
          userId: "u-locked",
        }),
      );
    rows.push(
      eventRow({
        id: "back",
        time: hour + 50 * 60_000,
        type: "LOGIN",
        error: null,
        isFailure: false,
        cause: null,
        userId: "u-locked",
      }),
    );
    await seedUserEvents(sql, rows);
    await refreshPatterns(sql, { now: NOW });
    const [lockout] = (await listPatterns(sql, {})).filter((p) => p.cause === "user-state");
    expect(lockout).toMatchObject({ scopeValue: "u-locked", status: "resolved" });

    // Failures after the login: the account is locked again, the pattern is not over.
    await seedUserEvents(sql, [
      eventRow({
        id: "again",
        time: NOW - 10 * 60_000,
        type: "LOGIN_ERROR",
        error: "user_temporarily_disabled",
        cause: "user-state",
        userId: "u-locked",
      }),
    ]);
    await refreshPatterns(sql, { now: NOW, full: true });
    const [again] = (await listPatterns(sql, {})).filter((p) => p.cause === "user-state");
    expect(again?.status).not.toBe("resolved");
  });
});

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { FULL_AT_KEY, HISTORY_CHANGED_KEY } from "@/lib/analytics/detection-window";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { listPatterns } from "@/lib/queries/patterns/list-patterns";
import { eventRow, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../helpers/db";

/**
 * The hourly refresh reads again only the series active in the last 8 days; the first run, a run a day after the
 * last full one, and any run after events older than that were written read everything.
 */
const sql = testSql();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-09-20T12:00:00Z");

beforeEach(() => truncateAll(sql));
afterAll(() => sql.end());

/** An hour of client-auth failures of one client, 20 of them. */
function burst(clientId: string, hour: number, idPrefix: string): UserEventRow[] {
  return Array.from({ length: 20 }, (_, i) =>
    eventRow({
      id: `${idPrefix}-${i}`,
      time: hour + i * 60_000,
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client_credentials",
      cause: "client-auth",
      clientId,
      userId: null,
    }),
  );
}

const state = async () =>
  Object.fromEntries(
    (
      await sql<
        { key: string; value: unknown }[]
      >`select key, value from app_state where key like 'detection.%'`
    ).map((r) => [r.key, r.value]),
  );

describe("full and recent pattern refreshes", () => {
  it("reads everything first, then only what is recent, and everything again after old events arrive", async () => {
    await seedUserEvents(sql, burst("old-client", NOW - 20 * DAY, "a"));
    // Seeding events older than 8 days marks the history as changed.
    expect(await state()).toMatchObject({ [HISTORY_CHANGED_KEY]: true });

    const first = await refreshPatterns(sql, { now: NOW });
    expect(first).toMatchObject({ full: true, created: 1 });
    expect(await state()).toEqual({ [FULL_AT_KEY]: NOW });

    // An hour later nothing is recent: nothing is read, the old pattern stays as it is.
    const hourly = await refreshPatterns(sql, { now: NOW + HOUR });
    expect(hourly).toMatchObject({ full: false, series: 0, removed: 0 });
    expect(await listPatterns(sql, {})).toHaveLength(1);

    // A backfill of old events: the next refresh reads everything again and finds the incident in them.
    await seedUserEvents(sql, burst("backfilled-client", NOW - 15 * DAY, "b"));
    const after = await refreshPatterns(sql, { now: NOW + 2 * HOUR });
    expect(after).toMatchObject({ full: true, created: 1 });
    expect((await listPatterns(sql, {})).map((p) => p.scopeValue).sort()).toEqual([
      "backfilled-client",
      "old-client",
    ]);

    // A day after the last full read, everything is read again.
    expect(await refreshPatterns(sql, { now: NOW + 3 * HOUR })).toMatchObject({ full: false });
    expect(await refreshPatterns(sql, { now: NOW + 2 * HOUR + DAY })).toMatchObject({
      full: true,
      removed: 0,
    });
  });
});

describe("an hourly refresh that reads only recent series", () => {
  it("ends with the same patterns as one detection over the whole history", async () => {
    // 40 days of traffic: an incident long over, one that ran for days and ended last week, and ones still going.
    const { syntheticUserEvents } = await import("@/testkit/synthetic-events");
    const { SOURCE_ID } = await import("@/testkit/seed-events");
    const planted = (
      clientId: string,
      cause: string,
      type: string,
      from: number,
      to: number,
      perHour: number,
    ) => ({
      realm: "acme",
      clientId,
      from,
      to,
      perHour,
      type,
      error: null,
      cause,
      users: 5,
    });
    await seedUserEvents(
      sql,
      syntheticUserEvents({
        seed: 7,
        sourceId: SOURCE_ID,
        from: NOW - 40 * DAY,
        to: NOW,
        events: 60_000,
        incidents: [
          planted("orders-api", "missing-role", "HTTP_DENIAL", NOW - 35 * DAY, NOW - 34 * DAY, 30),
          planted("billing-ui", "client-auth", "CLIENT_LOGIN_ERROR", NOW - 12 * DAY, NOW - 9 * DAY, 20),
          planted("reports-job", "authz-policy", "PERMISSION_TOKEN_ERROR", NOW - 20 * DAY, NOW, 6),
          planted("orders-ui", "wrong-audience", "TOKEN_EXCHANGE_ERROR", NOW - 2 * DAY, NOW, 25),
        ],
      }),
    );
    const shape = async () =>
      (
        await sql<
          {
            cause: string;
            scope_kind: string;
            scope_value: string;
            first_seen: Date;
            last_seen: Date;
            status: string;
            kind: string;
          }[]
        >`
          select cause, scope_kind, scope_value, first_seen, last_seen, status, kind from patterns
          order by first_seen, cause, scope_kind, scope_value`
      ).map((p) => ({ ...p, first_seen: p.first_seen.getTime(), last_seen: p.last_seen.getTime() }));

    await refreshPatterns(sql, { now: NOW, full: true });
    const once = await shape();
    expect(once.map((p) => p.cause)).toEqual(
      expect.arrayContaining(["missing-role", "client-auth", "authz-policy", "wrong-audience"]),
    );

    await sql`delete from patterns`;
    // The last full read is two hours before the end: the refreshes after it, the last one included, read only
    // the recent series.
    const start = NOW - 3 * DAY - 2 * HOUR;
    await refreshPatterns(sql, { now: start, full: true });
    const modes = new Set<boolean>();
    let last = true;
    for (let now = start + HOUR; now <= NOW; now += HOUR) {
      last = (await refreshPatterns(sql, { now })).full;
      modes.add(last);
    }
    expect(modes).toEqual(new Set([false, true]));
    expect(last).toBe(false);
    expect(await shape()).toEqual(once);
  }, 300_000);
});

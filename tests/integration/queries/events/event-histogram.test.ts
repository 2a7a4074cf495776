import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userEventScope } from "@/lib/queries/events/list-user-events";
import { parseUserEventFilter } from "@/lib/queries/events/user-event-filter";
import { userEventHistogram } from "@/lib/queries/events/user-event-histogram";
import { eventRow, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../../helpers/db";

/** The explorer's histogram: the filter's events per bucket, counted row by row or read from the rollups. */
const sql: postgres.Sql = testSql();
const NOW = Date.parse("2026-03-10T12:00:00Z");
const HOUR = 3_600_000;

beforeAll(async () => {
  await truncateAll(sql);
  const rows = [
    // 3 failures in the hour from 06:00 UTC, 1 at 07:59:59.999, 2 successes at 09:30, 1 of another client.
    ...[0, 1, 2].map((i) => eventRow({ id: `a${i}`, time: NOW - 6 * HOUR + i * 60_000 })),
    eventRow({ id: "b", time: NOW - 4 * HOUR - 1 }),
    ...[0, 1].map((i) =>
      eventRow({
        id: `s${i}`,
        time: NOW - 2.5 * HOUR,
        type: "LOGIN",
        error: null,
        isFailure: false,
        cause: null,
      }),
    ),
    eventRow({ id: "c", time: NOW - 6 * HOUR, clientId: "admin-ui" }),
  ];
  await seedUserEvents(sql, rows);
});

afterAll(async () => {
  await sql.end();
});

async function histogram(query: Record<string, string>, from: "rows" | "rollups") {
  const f = parseUserEventFilter(query, NOW);
  return userEventHistogram(sql, await userEventScope(sql, f), f, from);
}

describe("userEventHistogram", () => {
  it.each(["rows", "rollups"] as const)(
    "counts the filter's events per bucket of its range (%s)",
    async (from) => {
      const h = await histogram(
        { realm: "acme", from: "2026-03-10T05:00", to: "2026-03-10T09:59", tz: "UTC", client: "orders-ui" },
        from,
      );
      expect(h.bucket).toBe("hour");
      expect(h.buckets.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.count])).toEqual([
        ["05:00", 0],
        ["06:00", 3],
        ["07:00", 1],
        ["08:00", 0],
        ["09:00", 2],
      ]);
    },
  );

  it("keeps only failures, and buckets on the viewer's wall clock", async () => {
    const h = await histogram(
      {
        realm: "acme",
        from: "2026-03-10T10:00",
        to: "2026-03-10T15:29",
        tz: "Asia/Kolkata",
        outcome: "failures",
      },
      "rows",
    );
    // Kolkata hours from 10:00 (04:30 UTC): 4 failures at 11:30-11:32 (06:00 UTC), 1 at 13:29 (07:59 UTC).
    expect(h.buckets.map((b) => b.count)).toEqual([0, 4, 0, 1, 0, 0]);
    expect(h.buckets[1]?.start).toBe(NOW - 6.5 * HOUR);
  });

  it("answers empty buckets for a realm with no events", async () => {
    const h = await histogram({ realm: "nowhere", range: "1h", tz: "UTC" }, "rows");
    expect(h.bucket).toBe("minute");
    expect(h.buckets.every((b) => b.count === 0)).toBe(true);
    expect(h.buckets.length).toBeGreaterThanOrEqual(60);
  });
});

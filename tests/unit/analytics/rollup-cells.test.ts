import { describe, expect, it } from "vitest";
import { aggregateRollupSizes, aggregateRollups } from "@/lib/analytics/rollup-cells";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 10, 1, 9, 59, 30);

const row = (time: number, type: string, clientId: string | null, isFailure = false) => ({
  time,
  type,
  error: isFailure ? "invalid_user_credentials" : null,
  cause: isFailure ? "user-credentials" : null,
  clientId,
  origin: "api" as const,
  isFailure,
});

describe("rollup cells of a batch", () => {
  const rows = [
    row(t0, "LOGIN", "web"),
    row(t0 + 10_000, "LOGIN_ERROR", "web", true),
    row(t0 + 40_000, "LOGIN", "web"),
    row(t0 + 45_000, "LOGIN", null),
    row(t0 + 50_000, "LOGIN_ERROR", "api", true),
  ];

  it("counts each size as the single-size aggregation does", () => {
    const [minute, hour] = aggregateRollupSizes(rows, [MINUTE, HOUR]);
    expect(minute).toEqual(aggregateRollups(rows, MINUTE));
    expect(hour).toEqual(aggregateRollups(rows, HOUR));
    // 09:59 holds the first two rows, 10:00 the other three; the hour split is the same here.
    expect(minute?.map((c) => [new Date(c.bucket).toISOString().slice(11, 16), c.type, c.clientId])).toEqual([
      ["09:59", "LOGIN", "web"],
      ["09:59", "LOGIN_ERROR", "web"],
      ["10:00", "LOGIN", ""],
      ["10:00", "LOGIN", "web"],
      ["10:00", "LOGIN_ERROR", "api"],
    ]);
    expect(hour?.reduce((n, c) => n + c.events, 0)).toBe(5);
    expect(hour?.reduce((n, c) => n + c.failures, 0)).toBe(2);
  });

  it("orders cells by bucket, then dimensions, whatever the row order (writers lock in one order)", () => {
    const reversed = aggregateRollups([...rows].reverse(), MINUTE);
    expect(reversed).toEqual(aggregateRollups(rows, MINUTE));
  });

  it("subtracts with sign -1", () => {
    const cells = aggregateRollups(rows, HOUR, -1);
    expect(cells.find((c) => c.type === "LOGIN_ERROR" && c.clientId === "web")).toMatchObject({
      events: -1,
      failures: -1,
    });
  });
});

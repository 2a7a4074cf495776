import { describe, expect, it } from "vitest";
import { parsePushBody } from "@/lib/ingest/push/push-payload";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { isRejected, toUserEventRow } from "@/lib/keycloak/event-rows";
import { webhookEvent } from "@/scripts/bench/push";

/** What the receiver makes of the push benchmark's n-th event: its type and whether it is a failure. */
function received(n: number, share: number) {
  const payload = parsePushBody(JSON.stringify(webhookEvent("bench", n, share)));
  if ("error" in payload) throw new Error(payload.message);
  expect(payload.events).toHaveLength(1);
  const pushed = payload.events[0]!;
  if (pushed.kind !== "user") throw new Error("not a user event");
  const row = toUserEventRow(pushed.event, { sourceId: "s", realm: "bench", origin: "api" });
  if (isRejected(row)) throw new Error(row.rejected);
  classifyRow(row);
  return row;
}

describe("the push benchmark's webhook events", () => {
  it("are failures in about the share asked, in any stretch of the run, and read as Keycloak's events", () => {
    for (const [from, to] of [
      [0, 5_000],
      [123_456, 128_456],
    ] as const) {
      const rows = Array.from({ length: to - from }, (_, i) => received(from + i, 0.02));
      const failures = rows.filter((r) => r.isFailure);
      expect(failures.length).toBeGreaterThanOrEqual(90);
      expect(failures.length).toBeLessThanOrEqual(110);
      expect(new Set(failures.map((r) => r.error))).toEqual(
        new Set(["invalid_redirect_uri", "invalid_user_credentials", "invalid_code"]),
      );
      expect(new Set(rows.filter((r) => !r.isFailure).map((r) => r.type))).toEqual(
        new Set(["LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN", "CLIENT_LOGIN"]),
      );
      // Failures are classified like any pushed failure.
      expect(failures.every((r) => r.cause !== null)).toBe(true);
    }
  });

  it("are all successes at a share of 0 and all failures at 1", () => {
    const n = Array.from({ length: 400 }, (_, i) => i * 7);
    expect(n.every((i) => !received(i, 0).isFailure)).toBe(true);
    expect(n.every((i) => received(i, 1).isFailure)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { zonedTime } from "@/lib/time/zoned-time";
import { syntheticAdminEvents, syntheticUserEvents } from "@/testkit/synthetic-events";

const FROM = Date.parse("2026-05-04T00:00:00Z");
const opts = {
  seed: 5,
  sourceId: "3d6f0a52-5a4e-4f0e-9a8e-2b1f4c7d9e10",
  from: FROM,
  to: FROM + 7 * 86_400_000,
  events: 20_000,
  incidents: [
    {
      realm: "acme",
      clientId: "orders-api",
      from: FROM + 86_400_000,
      to: FROM + 86_400_000 + 3_600_000,
      perHour: 100,
      type: "HTTP_DENIAL",
      error: null,
      cause: "missing-role",
      users: 5,
      change: {
        minutesBefore: 10,
        operationType: "DELETE",
        resourceType: "REALM_ROLE",
        resourcePath: "roles/x",
      },
    },
  ],
};

describe("syntheticUserEvents", () => {
  const rows = [...syntheticUserEvents(opts)];

  it("is the same for the same seed", () => {
    expect([...syntheticUserEvents(opts)]).toEqual(rows);
  });

  it("has the background volume, about 8% failures, and the planted incident on top", () => {
    const background = rows.filter((r) => r.id.startsWith("bg-"));
    expect(background.length).toBeGreaterThan(19_900);
    expect(background.length).toBeLessThanOrEqual(20_000);
    const failureShare = background.filter((r) => r.isFailure).length / background.length;
    expect(failureShare).toBeGreaterThan(0.07);
    expect(failureShare).toBeLessThan(0.09);
    const incident = rows.filter((r) => r.id.startsWith("inc-"));
    expect(incident).toHaveLength(100);
    expect(new Set(incident.map((r) => r.userId)).size).toBeLessThanOrEqual(5);
  });

  it("is busier in office hours on weekdays than at night", () => {
    const hourOf = (t: number) => zonedTime(t, "Europe/Berlin");
    const office = rows.filter((r) => {
      const t = hourOf(r.time);
      return t.weekday < 5 && t.hour === 10;
    }).length;
    const night = rows.filter((r) => {
      const t = hourOf(r.time);
      return t.weekday < 5 && t.hour === 3;
    }).length;
    expect(office).toBeGreaterThan(night * 5);
  });

  it("writes the admin change behind each incident before it began", () => {
    const change = syntheticAdminEvents(opts).find((a) => a.resourcePath === "roles/x");
    expect(change?.time).toBe(opts.incidents[0]!.from - 10 * 60_000);
  });
});

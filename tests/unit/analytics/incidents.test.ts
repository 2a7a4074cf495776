import { describe, expect, it } from "vitest";
import { type DetectedIncident, detectIncidents, type IncidentSeries } from "@/lib/analytics/incidents";

const HOUR = 3_600_000;
/** Monday 2026-11-02 00:00 UTC. */
const T0 = Date.UTC(2026, 10, 2);

/** Office hours 08-18 (weekdays), a trickle at night. */
function officeShape(hourIndex: number): number {
  const hour = hourIndex % 24;
  const weekday = Math.floor(hourIndex / 24) % 7 < 5;
  if (!weekday) return 0.05;
  return hour >= 8 && hour < 18 ? 1 : 0.05;
}

function series(
  hours: number,
  build: (i: number) => { failures: number | null; traffic: number; realm?: number },
  extra: Partial<IncidentSeries> = {},
): IncidentSeries {
  const failures: (number | null)[] = [];
  const traffic: (number | null)[] = [];
  const realmTraffic: (number | null)[] = [];
  for (let i = 0; i < hours; i++) {
    const h = build(i);
    failures.push(h.failures);
    traffic.push(h.traffic);
    realmTraffic.push(h.realm ?? h.traffic * 10);
  }
  return {
    sourceId: "s",
    realm: "r",
    cause: "wrong-audience",
    scopeKind: "client",
    scopeValue: "gateway",
    start: T0,
    failures,
    traffic,
    realmTraffic,
    ambient: false,
    acuteOnly: false,
    ...extra,
  };
}

const at = (i: number) => T0 + i * HOUR;

describe("incidents across the daily low", () => {
  it("keeps an office-hours problem one incident through its nights, from its first hour", () => {
    // Starts Monday 16:00; the failing requests only happen in office hours; still going after 4 days.
    const start = 16;
    const s = series(4 * 24 + 12, (i) => {
      const load = Math.round(40 * officeShape(i));
      const failing = i >= start ? Math.round(load * 0.6) : 0;
      return { failures: failing, traffic: load };
    });
    const found = detectIncidents([s], at(4 * 24 + 12));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(start), kind: "acute", status: "ongoing" });
  });

  it("is not ended by a service account's night traffic of another kind (the loader gives the failing kind only)", () => {
    // Token exchange fails in office hours only; there is no exchange traffic at night at all.
    const s = series(3 * 24, (i) => {
      const load = officeShape(i) === 1 ? 30 : 0;
      return { failures: i >= 10 ? load : 0, traffic: load, realm: 200 * officeShape(i) };
    });
    const found = detectIncidents([s], at(3 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]!.from).toBe(at(10));
    expect(found[0]!.status).not.toBe("resolved");
  });

  it("is not ended on its first weekend by the realm's machine traffic (Keycloak stores no successes of the kind)", () => {
    // A reporting client's permission requests fail from Monday 10:00 on (PERMISSION_TOKEN successes are not saved:
    // the realm's successes stand in). Its people stop at the weekend; the realm's service accounts do not: 120
    // machine logins an hour all week, 200 more in office hours. Learnt from weekdays, a Saturday morning of
    // machine logins predicts about 5 failures an hour that did not come, and ended the incident there: Monday's
    // failures were a second incident.
    const s = series(
      7 * 24 + 12,
      (i) => {
        const people = Math.floor(i / 24) % 7 < 5 ? officeShape(i) : 0;
        return { failures: i >= 10 ? Math.round(20 * people) : 0, traffic: 0, realm: 120 + 200 * people };
      },
      { cause: "authz-policy", scopeValue: "reports" },
    );
    const found = detectIncidents([s], at(7 * 24 + 12));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(10), status: "ongoing" });
  });

  it("does not take the realm's machine traffic for people who stopped failing", () => {
    // People use a reporting client in office hours and, the first Saturday, in its small hours too; 120 service
    // account logins an hour go on day and night. The second Saturday's small hours have no people and no failure:
    // counted with the machine traffic, they predicted about 3 failures an hour and ended the incident there.
    const s = series(
      14 * 24 + 12,
      (i) => {
        const day = Math.floor(i / 24) % 7;
        const office = day < 5 && officeShape(i) === 1;
        const firstSaturday = i >= 5 * 24 && i < 5 * 24 + 8;
        const people = office ? 100 : firstSaturday ? 50 : 0;
        return {
          failures: i < 8 ? 0 : office ? 10 : firstSaturday ? 5 : 0,
          traffic: 0,
          realm: 120 + people,
        };
      },
      { cause: "authz-policy", scopeValue: "reports" },
    );
    const found = detectIncidents([s], at(14 * 24 + 12));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(8), status: "ongoing" });
  });

  it("is not ended by one quiet hour whose rate was learnt from a handful of failures", () => {
    // Ten failures an hour against 100 units of the realm's activity on weekdays (its 20 machine logins an hour do
    // not count); one Saturday night hour had 2 failures against an activity of 2. The next night's same hour, with
    // an activity of 6 and no failure, predicted 6 failures at that hour's own rate and ended the incident; at the
    // run's rate it predicts 0.6.
    const s = series(
      7 * 24 + 12,
      (i) => {
        const day = Math.floor(i / 24) % 7;
        const office = day < 5 && officeShape(i) === 1;
        const night = i % 24 === 3 ? (day === 5 ? 2 : day === 6 ? 6 : 0) : 0;
        return {
          failures: office && i >= 8 ? 10 : day === 5 && i % 24 === 3 ? 2 : 0,
          traffic: 0,
          realm: 20 + (office ? 100 : night),
        };
      },
      { cause: "authz-policy", scopeValue: "reports" },
    );
    const found = detectIncidents([s], at(7 * 24 + 12));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(8), status: "ongoing" });
  });

  it("is ended by a quiet weekday once the realm's weekdays are known, weekends apart", () => {
    // The same problem, fixed on Thursday at 11:00: Thursday's office hours with their people and no failure end it.
    const fixedAt = 3 * 24 + 11;
    const s = series(
      4 * 24,
      (i) => {
        const people = officeShape(i) === 1 ? 1 : 0;
        const failing = i >= 10 && i < fixedAt;
        return { failures: failing ? Math.round(20 * people) : 0, traffic: 0, realm: 120 + 200 * people };
      },
      { cause: "authz-policy", scopeValue: "reports" },
    );
    const found = detectIncidents([s], at(4 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(10), to: at(fixedAt - 1) + HOUR, status: "resolved" });
  });

  it("resolves when the failures stop while the traffic they would hit goes on, ending at the last failure", () => {
    const fixedAt = 2 * 24 + 11; // Wednesday 11:00
    const s = series(3 * 24, (i) => {
      const load = Math.round(40 * officeShape(i));
      return { failures: i >= 9 && i < fixedAt ? Math.round(load * 0.5) : 0, traffic: load };
    });
    const found = detectIncidents([s], at(3 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(9), to: at(fixedAt), status: "resolved" });
  });

  it("reopens the same pattern when the failures come back within hours", () => {
    const s = series(2 * 24, (i) => {
      const load = 40;
      const failing = (i >= 8 && i < 12) || (i >= 14 && i < 18);
      return { failures: failing ? 20 : 0, traffic: load };
    });
    const found = detectIncidents([s], at(2 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(8), to: at(18), status: "resolved" });
  });

  it("keeps two incidents apart when the traffic shows the first one ended days before", () => {
    const s = series(5 * 24, (i) => {
      const failing = (i >= 8 && i < 12) || (i >= 4 * 24 + 8 && i < 4 * 24 + 12);
      return { failures: failing ? 20 : 0, traffic: 40 };
    });
    const found = detectIncidents([s], at(5 * 24));
    expect(found.map((f) => [f.from, f.to])).toEqual([
      [at(8), at(12)],
      [at(4 * 24 + 8), at(4 * 24 + 12)],
    ]);
  });
});

describe("chronic problems", () => {
  it("finds a steady stream that never spikes, from where the history shows it first", () => {
    // An authorization policy rejects a job six times an hour for ten days; the job has no other traffic.
    const s = series(10 * 24, () => ({ failures: 6, traffic: 6, realm: 300 }), {
      cause: "authz-policy",
      scopeValue: "reports",
    });
    const found = detectIncidents([s], at(10 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(0), kind: "chronic", status: "ongoing" });
    expect(found[0]!.failures24h).toBe(144);
  });

  it("finds a disabled user who keeps trying three times an hour", () => {
    const s = series(3 * 24, (i) => ({ failures: i >= 5 ? 3 : 0, traffic: i >= 5 ? 3 : 1 }), {
      cause: "user-state",
      scopeKind: "user",
      scopeValue: "u1",
    });
    const found = detectIncidents([s], at(3 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(5), kind: "chronic" });
  });

  it("leaves a stray failure a day apart alone", () => {
    const s = series(10 * 24, (i) => ({ failures: i % 24 === 10 ? 1 : 0, traffic: 30 }));
    expect(detectIncidents([s], at(10 * 24))).toEqual([]);
  });

  it("does not start an incident at stray failures long before it", () => {
    const s = series(2 * 24, (i) => ({ failures: i === 2 ? 1 : i >= 20 ? 8 : 0, traffic: 0, realm: 0 }));
    const found = detectIncidents([s], at(2 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]!.from).toBe(at(20));
  });
});

describe("ambient causes", () => {
  const ambient = (spike: (i: number) => number) =>
    series(
      10 * 24,
      (i) => {
        const load = Math.round(200 * officeShape(i)) + 10;
        return { failures: Math.round(load * 0.02) + spike(i), traffic: load };
      },
      { cause: "user-credentials", ambient: true, acuteOnly: true },
    );

  it("sees no incident in the usual share of wrong passwords", () => {
    expect(detectIncidents([ambient(() => 0)], at(10 * 24))).toEqual([]);
  });

  it("finds a burst well above the usual share", () => {
    const found = detectIncidents([ambient((i) => (i === 8 * 24 + 10 ? 60 : 0))], at(10 * 24));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: at(8 * 24 + 10), kind: "acute" });
  });
});

describe("bad histories", () => {
  it("answers nothing for an empty series, unknown hours or a now before the data", () => {
    expect(detectIncidents([], at(10))).toEqual([]);
    expect(detectIncidents([series(48, () => ({ failures: null, traffic: 0 }))], at(48))).toEqual([]);
    expect(detectIncidents([series(48, () => ({ failures: 50, traffic: 50 }))], at(0) - HOUR)).toEqual([]);
  });

  it("ignores hours after now (a Keycloak clock ahead stamps events in the future)", () => {
    const s = series(30, (i) => ({ failures: i >= 26 ? 100 : 0, traffic: 100 }));
    expect(detectIncidents([s], at(24))).toEqual([]);
  });

  it("does not end or start an incident in an event gap", () => {
    const s = series(30, (i) => ({ failures: i >= 10 && i < 14 ? null : i >= 5 ? 20 : 0, traffic: 40 }));
    const found = detectIncidents([s], at(30));
    expect(found).toHaveLength(1);
    expect(found[0]!.from).toBe(at(5));
  });
});

describe("running every hour or once", () => {
  it("finds the same incidents at the end whether or not it ran at every hour before", () => {
    const s = series(6 * 24, (i) => {
      const load = Math.round(40 * officeShape(i));
      const failing =
        (i >= 16 && i < 3 * 24 + 12) || (i >= 4 * 24 + 9 && i < 4 * 24 + 15) ? Math.round(load * 0.4) : 0;
      return { failures: failing, traffic: load };
    });
    const last = at(6 * 24);
    const once = detectIncidents([s], last);
    // Each run sees only the hours before its now: the incidents it reports must be the beginnings of the final
    // ones (same start, same scope), never a start the final run does not have.
    const starts = new Set(once.map((f: DetectedIncident) => f.from));
    for (let now = at(1); now <= last; now += HOUR) {
      for (const f of detectIncidents([s], now)) expect(starts.has(f.from)).toBe(true);
    }
    expect(once.map((f) => [f.from, f.to])).toEqual([
      [at(16), at(3 * 24 + 12)],
      [at(4 * 24 + 9), at(4 * 24 + 15)],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { boundClients, OTHER_CLIENTS } from "@/lib/metrics/bound-clients";
import { renderExposition } from "@/lib/metrics/exposition";
import { metricsAccessAllowed } from "@/lib/metrics/metrics-token";

describe("Prometheus exposition", () => {
  it("writes HELP, TYPE and escaped label values", () => {
    const text = renderExposition([
      {
        name: "realmwatch_denials_total",
        type: "counter",
        help: "Failures.",
        samples: [{ labels: { realm: 'a"b\\c\nd', cause: "missing-role" }, value: 3 }],
      },
    ]);
    expect(text).toBe(
      [
        "# HELP realmwatch_denials_total Failures.",
        "# TYPE realmwatch_denials_total counter",
        'realmwatch_denials_total{realm="a\\"b\\\\c\\nd",cause="missing-role"} 3',
        "",
      ].join("\n"),
    );
  });
});

describe("client label cardinality", () => {
  it("keeps the top N clients and sums the rest into other, preserving the total", () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      realm: i % 2 ? "acme" : "beta",
      cause: "missing-role",
      clientId: `client-${String(i).padStart(2, "0")}`,
      denials: i + 1,
    }));
    const bounded = boundClients(rows, 5);
    const clients = new Set(bounded.map((r) => r.clientId));
    expect(clients).toEqual(
      new Set(["client-49", "client-48", "client-47", "client-46", "client-45", OTHER_CLIENTS]),
    );
    const sum = (xs: Array<{ denials: number }>) => xs.reduce((s, r) => s + r.denials, 0);
    expect(sum(bounded)).toBe(sum(rows));
    expect(
      bounded
        .filter((r) => r.clientId === OTHER_CLIENTS)
        .map((r) => r.realm)
        .sort(),
    ).toEqual(["acme", "beta"]);
  });
});

describe("/metrics bearer token", () => {
  it("is open without a token only when sign-in is off, and otherwise needs the exact bearer token", () => {
    expect(metricsAccessAllowed(null, undefined, false)).toBe(true);
    expect(metricsAccessAllowed(null, undefined, true)).toBe(false);
    expect(metricsAccessAllowed("Bearer anything", undefined, true)).toBe(false);
    for (const signInOn of [false, true]) {
      expect(metricsAccessAllowed(null, "t0ken", signInOn)).toBe(false);
      expect(metricsAccessAllowed("Bearer wrong", "t0ken", signInOn)).toBe(false);
      expect(metricsAccessAllowed("Bearer t0ken", "t0ken", signInOn)).toBe(true);
    }
  });
});

import { describe, expect, it } from "vitest";
import { attributeExcess, type DimensionCount } from "@/lib/analytics/attribution";

const counts = (dimension: DimensionCount["dimension"], values: Record<string, number>): DimensionCount[] =>
  Object.entries(values).map(([value, count]) => ({ dimension, value, count }));

describe("attributeExcess", () => {
  // One spike hour against the 24 hours before it: scale 1/24.
  const attribution = attributeExcess({
    spike: [
      ...counts("client", { "orders-api": 250, "billing-ui": 12, "reports-job": 100 }),
      ...counts("cause", { "missing-role": 330, "user-credentials": 32 }),
      ...counts("user", { alice: 180, bob: 150, carol: 32 }),
    ],
    baseline: [
      ...counts("client", { "orders-api": 240, "billing-ui": 240 }),
      ...counts("cause", { "user-credentials": 768 }),
      ...counts("user", { carol: 768 }),
    ],
    scale: 1 / 24,
  });

  it("ranks clients by their part of the increase over what the baseline predicts", () => {
    const clients = attribution.client.contributors;
    expect(clients.map((c) => c.value)).toEqual(["orders-api", "reports-job", "billing-ui"]);
    expect(clients[0]).toMatchObject({ observed: 250, expected: 10, excess: 240, isNew: false });
    expect(clients[1]).toMatchObject({ observed: 100, expected: 0, excess: 100, isNew: true });
    expect(clients[0]?.share).toBeCloseTo(240 / 342, 6);
    expect(clients.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 9);
  });

  it("gives no share to values at or below their usual level", () => {
    const spike = counts("client", { steady: 10, quieter: 2, rising: 50 });
    const baseline = counts("client", { steady: 240, quieter: 240, rising: 240 });
    const clients = attributeExcess({ spike, baseline, scale: 1 / 24 }).client.contributors;
    expect(clients.map((c) => [c.value, c.share])).toEqual([["rising", 1]]);
  });

  it("names the cause and the users behind a spike", () => {
    expect(attribution.cause.contributors[0]).toMatchObject({ value: "missing-role", share: 1, isNew: true });
    const users = attribution.user.contributors.map((c) => [c.value, Math.round(c.share * 100)]);
    expect(users).toEqual([
      ["alice", 55],
      ["bob", 45],
    ]);
  });

  it("keeps the top values and reports the rest as one share", () => {
    const spike = counts(
      "ip",
      Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`10.0.0.${i}`, 10 + i])),
    );
    const ips = attributeExcess({ spike, baseline: [], scale: 1, limit: 5 }).ip;
    expect(ips.contributors).toHaveLength(5);
    expect(ips.contributors[0]?.value).toBe("10.0.0.14");
    const total = 15 * 10 + (14 * 15) / 2;
    expect(ips.otherShare).toBeCloseTo(1 - (24 + 23 + 22 + 21 + 20) / total, 9);
  });

  it("scales the baseline to a seasonal expectation when asked", () => {
    // The seasonal baseline expects 40 failures in the spike hour; the baseline window held 400, half of them "a".
    const spike = counts("client", { a: 120, b: 20 });
    const baseline = counts("client", { a: 200, b: 200 });
    const [a, ...rest] = attributeExcess({ spike, baseline, scale: 40 / 400 }).client.contributors;
    expect(a).toMatchObject({ value: "a", expected: 20, excess: 100, share: 1 });
    expect(rest).toEqual([]);
  });

  it("returns every dimension, empty when nothing rose, and ignores counts that are not counts", () => {
    const result = attributeExcess({
      spike: [{ dimension: "error", value: "access_denied", count: Number.NaN }],
      baseline: [],
      scale: Number.POSITIVE_INFINITY,
    });
    expect(Object.keys(result).sort()).toEqual(["cause", "client", "error", "ip", "user"]);
    expect(result.error).toEqual({ dimension: "error", increase: 0, contributors: [], otherShare: 0 });
  });
});

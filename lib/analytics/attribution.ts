/** The dimensions a spike is explained along, in the order a person asks about them. */
export const DIMENSIONS = ["cause", "client", "user", "ip", "error"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Failures of one value of one dimension in a window ("client" "orders-api": 280). */
export interface DimensionCount {
  dimension: Dimension;
  value: string;
  count: number;
}

export interface Contributor {
  value: string;
  observed: number;
  /** What the baseline window predicts for this value over the spike window. */
  expected: number;
  /** observed - expected. */
  excess: number;
  /** This value's part of the increase: excess / the sum of every positive excess of the dimension. */
  share: number;
  /** Not seen at all in the baseline window. */
  isNew: boolean;
}

export interface DimensionAttribution {
  dimension: Dimension;
  /** The sum of positive excesses: the increase this dimension's values account for. */
  increase: number;
  /** Largest share first. */
  contributors: Contributor[];
  /** The share of the increase held by values beyond the limit. */
  otherShare: number;
}

export interface AttributionInput {
  spike: readonly DimensionCount[];
  baseline: readonly DimensionCount[];
  /**
   * Multiplies baseline counts into expected counts for the spike window: the ratio of the two windows' lengths,
   * or (to follow a seasonal baseline) the spike's expected total divided by the baseline window's total.
   */
  scale: number;
  /** Contributors kept per dimension (default 10). */
  limit?: number;
}

/**
 * Which clients, users, IPs, errors and causes account for a spike: each value's excess over what the baseline
 * window predicts, as a share of the dimension's total increase. Values that fell below their baseline get no
 * share; they are not an explanation of an increase.
 */
export function attributeExcess(input: AttributionInput): Record<Dimension, DimensionAttribution> {
  const scale = Number.isFinite(input.scale) && input.scale > 0 ? input.scale : 0;
  const limit = input.limit ?? 10;
  const observed = tally(input.spike);
  const baseline = tally(input.baseline);
  const result = {} as Record<Dimension, DimensionAttribution>;
  for (const dimension of DIMENSIONS) {
    const seen = observed.get(dimension) ?? new Map<string, number>();
    const before = baseline.get(dimension) ?? new Map<string, number>();
    const rising: Omit<Contributor, "share">[] = [];
    for (const [value, count] of seen) {
      const expected = (before.get(value) ?? 0) * scale;
      const excess = count - expected;
      if (excess > 0) rising.push({ value, observed: count, expected, excess, isNew: !before.has(value) });
    }
    rising.sort((a, b) => b.excess - a.excess || (a.value < b.value ? -1 : 1));
    const increase = rising.reduce((sum, c) => sum + c.excess, 0);
    const contributors = rising.slice(0, limit).map((c) => ({ ...c, share: c.excess / increase }));
    const shown = contributors.reduce((sum, c) => sum + c.share, 0);
    result[dimension] = {
      dimension,
      increase,
      contributors,
      otherShare: contributors.length < rising.length ? Math.max(0, 1 - shown) : 0,
    };
  }
  return result;
}

function tally(counts: readonly DimensionCount[]): Map<Dimension, Map<string, number>> {
  const byDimension = new Map<Dimension, Map<string, number>>();
  for (const { dimension, value, count } of counts) {
    if (!Number.isFinite(count) || count < 0 || typeof value !== "string") continue;
    const values = byDimension.get(dimension) ?? new Map<string, number>();
    values.set(value, (values.get(value) ?? 0) + count);
    byDimension.set(dimension, values);
  }
  return byDimension;
}

import type { Detection } from "@/lib/analytics/patterns";
import {
  detectSpikes,
  type SeriesPoint,
  SPIKE_THRESHOLDS,
  type Spike,
  type SpikeThresholds,
} from "@/lib/analytics/spikes";

/** An hourly failure series of one (source, realm, cause, client); clientId "" holds failures without a client. */
export interface CauseSeries {
  sourceId: string;
  realm: string;
  cause: string;
  clientId: string;
  points: SeriesPoint[];
}

export interface ScopedSpike extends Detection {
  spike: Spike;
}

export const DETECTION_SETTINGS = {
  /** Spikes that ended longer ago than this were handled by earlier runs. */
  horizonMs: 48 * 3_600_000,
  /** A realm-wide spike where one client has this share of the failures is that client's incident. */
  dominantShare: 0.8,
} as const;

/**
 * Spikes of each cause in each realm, scoped. The realm total of a cause is judged first: an issuer mismatch
 * after a hostname change fails every client a little, which no single client's series would show. A realm spike
 * that one client dominates is scoped to that client; otherwise to the realm. A client's own spike that no realm
 * spike covers (a small client in a big realm) is scoped to the client.
 */
export function detectPatternSpikes(
  series: readonly CauseSeries[],
  opts: { now: number; timeZone: string; thresholds?: Partial<SpikeThresholds> } & Partial<
    typeof DETECTION_SETTINGS
  >,
): ScopedSpike[] {
  const { horizonMs, dominantShare } = { ...DETECTION_SETTINGS, ...opts };
  const recent = (s: Spike) => s.to > opts.now - horizonMs;
  // Judging starts a week and a day before the horizon, so the residual spread is warm when it matters.
  const judgeFrom = opts.now - horizonMs - (SPIKE_THRESHOLDS.residualHours + 24) * 3_600_000;
  const detect = (points: SeriesPoint[]) =>
    detectSpikes(points, { timeZone: opts.timeZone, thresholds: opts.thresholds, judgeFrom }).filter(recent);

  const groups = new Map<string, CauseSeries[]>();
  for (const s of series) {
    const key = JSON.stringify([s.sourceId, s.realm, s.cause]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }

  const found: ScopedSpike[] = [];
  for (const members of groups.values()) {
    const { sourceId, realm, cause } = members[0]!;
    const scoped = (spike: Spike, clientId: string): ScopedSpike => ({
      sourceId,
      realm,
      cause,
      scopeKind: clientId === "" ? "realm" : "client",
      scopeValue: clientId,
      from: spike.from,
      to: spike.to,
      score: spike.score,
      baseline: spike.peak.expected / spike.peak.coverage,
      spike,
    });
    const realmSpikes = detect(sumSeries(members));
    for (const spike of realmSpikes) {
      const byClient = members.map((m) => ({ clientId: m.clientId, failures: failuresIn(m.points, spike) }));
      const total = byClient.reduce((sum, c) => sum + c.failures, 0);
      const top = byClient.sort((a, b) => b.failures - a.failures)[0];
      const dominant = top && top.clientId !== "" && total > 0 && top.failures / total >= dominantShare;
      found.push(scoped(spike, dominant ? top.clientId : ""));
    }
    for (const member of members) {
      if (member.clientId === "") continue;
      for (const spike of detect(member.points)) {
        if (realmSpikes.some((r) => r.from < spike.to && r.to > spike.from)) continue;
        found.push(scoped(spike, member.clientId));
      }
    }
  }
  return found;
}

/** Point-wise sum of series on the same hourly axis; unknown where any member is unknown. */
function sumSeries(members: readonly CauseSeries[]): SeriesPoint[] {
  const first = members[0]?.points ?? [];
  return first.map((p, i) => {
    let value: number | null = 0;
    for (const m of members) {
      const v = m.points[i]?.value;
      if (v === null || v === undefined || value === null) value = null;
      else value += v;
    }
    return p.coverage === undefined
      ? { start: p.start, value }
      : { start: p.start, value, coverage: p.coverage };
  });
}

function failuresIn(points: readonly SeriesPoint[], range: { from: number; to: number }): number {
  let sum = 0;
  for (const p of points) if (p.start >= range.from && p.start < range.to && p.value !== null) sum += p.value;
  return sum;
}

import type { FailureSpike } from "@/lib/queries/overview/detect-failure-spikes";
import type { PatternInRange } from "@/lib/queries/patterns/patterns-in-range";

/** A spike with the pattern that stands for it, when pattern detection found one. */
export interface LinkedSpike extends FailureSpike {
  patternId: string | null;
}

/**
 * Each spike's pattern: one active during the spike, of the cause the spike is labelled with first, else of
 * another cause behind its increase in order of share; among those, the one with most failures (the list comes
 * most failures first). A spike with no such pattern links nowhere (the chart opens the explorer instead).
 */
export function linkSpikesToPatterns(
  spikes: readonly FailureSpike[],
  patterns: readonly PatternInRange[],
): LinkedSpike[] {
  return spikes.map((spike) => {
    const during = patterns.filter((p) => p.firstSeen < spike.to && p.lastSeen >= spike.from);
    const causes = [spike.cause, ...spike.causes.map((c) => c.cause)];
    for (const cause of causes) {
      const found = during.find((p) => p.cause === cause);
      if (found) return { ...spike, patternId: found.id };
    }
    return { ...spike, patternId: null };
  });
}

import type { TimeRange } from "@/lib/analytics/time-buckets";

/**
 * The lifecycle of a pattern (a persisted incident): a spike of one cause in one scope opens it, later spikes
 * within the quiet window extend it, and three quiet hours resolve it. Pure: the caller loads the current
 * patterns, passes what detection found, and writes back the changes.
 */

export const PATTERN_STATUSES = ["open", "ongoing", "resolved"] as const;
export type PatternStatus = (typeof PATTERN_STATUSES)[number];

export const PATTERN_KINDS = ["acute", "chronic"] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

export const SCOPE_KINDS = ["client", "user", "realm"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export interface PatternScope {
  sourceId: string;
  realm: string;
  cause: string;
  scopeKind: ScopeKind;
  /** The clientId, user id, or "" for the realm as a whole. */
  scopeValue: string;
}

export interface PatternWindow extends PatternScope {
  id?: string;
  /** Start of the first spike hour; part of the stable key, never moved once stored. */
  firstSeen: number;
  /** End of the last hour the spike was seen in. */
  lastSeen: number;
  status: PatternStatus;
  peakScore: number | null;
  /** The usual failures per hour before it began. */
  baseline: number | null;
}

/** A spike found by detection, in one scope. */
export interface Detection extends PatternScope, TimeRange {
  score: number;
  /** Usual failures per hour at the peak. */
  baseline: number;
}

export interface PatternChange {
  action: "create" | "update";
  pattern: PatternWindow;
}

/**
 * quietMs: a pattern with no spike hour for this long is resolved, and a spike closer than this to the last one
 * continues it (one incident that dips for an hour is still one incident). Three hours: long enough to bridge a
 * lull, short enough that "resolved" appears the same afternoon a fix lands.
 */
export const PATTERN_SETTINGS = { quietMs: 3 * 3_600_000, bucketMs: 3_600_000 } as const;

/** The key of a pattern as the database's unique constraint has it. */
export function patternKey(p: PatternScope & { firstSeen: number }): string {
  return JSON.stringify([p.sourceId, p.realm, p.cause, p.scopeKind, p.scopeValue, p.firstSeen]);
}

function scopeKey(p: PatternScope): string {
  return JSON.stringify([p.sourceId, p.realm, p.cause, p.scopeKind, p.scopeValue]);
}

/** New and changed patterns, given the current ones, the spikes just detected and the time now. */
export function advancePatterns(
  current: readonly PatternWindow[],
  detections: readonly Detection[],
  now: number,
  settings: Partial<typeof PATTERN_SETTINGS> = {},
): PatternChange[] {
  const { quietMs, bucketMs } = { ...PATTERN_SETTINGS, ...settings };
  const byScope = new Map<string, { patterns: PatternWindow[]; detections: Detection[] }>();
  const group = (p: PatternScope) => {
    const key = scopeKey(p);
    let entry = byScope.get(key);
    if (!entry) {
      entry = { patterns: [], detections: [] };
      byScope.set(key, entry);
    }
    return entry;
  };
  for (const p of current) group(p).patterns.push({ ...p });
  for (const d of detections) {
    // A spike in the hour still in progress was seen until now, not until the hour ends.
    const to = Math.min(d.to, now);
    if (to > d.from && Number.isFinite(d.from)) group(d).detections.push({ ...d, to });
  }

  const changes: PatternChange[] = [];
  for (const { patterns, detections: found } of byScope.values()) {
    const before = new Map(patterns.map((p) => [p, { ...p }]));
    patterns.sort((a, b) => a.firstSeen - b.firstSeen);
    const created = new Set<PatternWindow>();
    for (const window of mergeWindows(found, quietMs)) {
      const match = patterns.find(
        (p) => window.from <= p.lastSeen + quietMs && window.to >= p.firstSeen - quietMs,
      );
      if (match) {
        match.lastSeen = Math.max(match.lastSeen, window.to);
        match.peakScore = Math.max(match.peakScore ?? window.score, window.score);
        match.baseline ??= window.baseline;
        continue;
      }
      const pattern: PatternWindow = {
        sourceId: window.sourceId,
        realm: window.realm,
        cause: window.cause,
        scopeKind: window.scopeKind,
        scopeValue: window.scopeValue,
        firstSeen: window.from,
        lastSeen: window.to,
        status: "open",
        peakScore: window.score,
        baseline: window.baseline,
      };
      patterns.push(pattern);
      patterns.sort((a, b) => a.firstSeen - b.firstSeen);
      created.add(pattern);
    }
    for (const p of patterns) {
      p.status = statusOf(p, now, quietMs, bucketMs);
      const old = before.get(p);
      if (created.has(p)) changes.push({ action: "create", pattern: p });
      else if (old && isChanged(old, p)) changes.push({ action: "update", pattern: p });
    }
  }
  return changes;
}

function statusOf(p: PatternWindow, now: number, quietMs: number, bucketMs: number): PatternStatus {
  if (now - p.lastSeen >= quietMs) return "resolved";
  return p.lastSeen - p.firstSeen > bucketMs ? "ongoing" : "open";
}

function isChanged(a: PatternWindow, b: PatternWindow): boolean {
  return (
    a.status !== b.status ||
    a.lastSeen !== b.lastSeen ||
    a.peakScore !== b.peakScore ||
    a.baseline !== b.baseline
  );
}

/** Spikes of one scope whose gaps are shorter than the quiet window become one window. */
function mergeWindows(detections: readonly Detection[], quietMs: number): Detection[] {
  const sorted = [...detections].sort((a, b) => a.from - b.from);
  const merged: Detection[] = [];
  for (const d of sorted) {
    const last = merged[merged.length - 1];
    if (last && d.from <= last.to + quietMs) {
      last.to = Math.max(last.to, d.to);
      if (d.score > last.score) {
        last.score = d.score;
        last.baseline = d.baseline;
      }
    } else {
      merged.push({ ...d });
    }
  }
  return merged;
}

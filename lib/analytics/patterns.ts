/**
 * A pattern: one problem (a cause in a scope) from its first abnormal hour to its last, as detection
 * (lib/analytics/incidents.ts) finds it and the patterns table stores it.
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
  /** The first failure (or the start of its hour); part of the stable key, never moved once stored. */
  firstSeen: number;
  /** End of the last hour with failures (now, while that hour is in progress). */
  lastSeen: number;
  status: PatternStatus;
  peakScore: number | null;
  /** The usual failures per hour before it began. */
  baseline: number | null;
}

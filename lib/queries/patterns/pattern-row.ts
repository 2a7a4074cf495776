import type { PatternStatus, ScopeKind } from "@/lib/analytics/patterns";

/** The columns of a stored pattern that every read of the patterns table returns. */
export interface PatternRowBase {
  id: string;
  source_id: string;
  realm: string;
  cause: string;
  scope_kind: ScopeKind;
  scope_value: string;
  client_id: string | null;
  user_id: string | null;
  status: PatternStatus;
  first_seen: Date;
  last_seen: Date;
  event_count: number;
  affected_users: number;
  peak_score: number | null;
}

/** Those columns as the pages see them. */
export function patternFields(r: PatternRowBase) {
  return {
    id: r.id,
    sourceId: r.source_id,
    realm: r.realm,
    cause: r.cause,
    scopeKind: r.scope_kind,
    scopeValue: r.scope_value,
    clientId: r.client_id,
    userId: r.user_id,
    status: r.status,
    firstSeen: r.first_seen.getTime(),
    lastSeen: r.last_seen.getTime(),
    eventCount: r.event_count,
    affectedUsers: r.affected_users,
    peakScore: r.peak_score,
  };
}

import type postgres from "postgres";
import type { SuspectedChange } from "@/lib/analytics/admin-correlation";
import type { PatternKind, PatternStatus, ScopeKind } from "@/lib/analytics/patterns";
import { type Db, iso } from "@/lib/queries/filters";
import { type PatternRowBase, patternFields } from "@/lib/queries/patterns/pattern-row";

/**
 * How a list of patterns is ordered. "impact": unresolved first, then failures in the last 24 hours, users and
 * clients affected, acute before chronic; "start": newest first; "last-seen": most recently active first;
 * "failures": most failures over the whole pattern first.
 */
export const PATTERN_SORTS = ["impact", "start", "last-seen", "failures"] as const;
export type PatternSort = (typeof PATTERN_SORTS)[number];

export interface ListPatternsParams {
  sourceId?: string;
  realm?: string;
  statuses?: readonly PatternStatus[];
  causes?: readonly string[];
  /** Default "last-seen". */
  sort?: PatternSort;
  /** Only patterns last seen at or after this instant. */
  since?: number;
  limit?: number;
}

export interface PatternSummary {
  id: string;
  sourceId: string;
  realm: string;
  cause: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  clientId: string | null;
  userId: string | null;
  status: PatternStatus;
  firstSeen: number;
  lastSeen: number;
  eventCount: number;
  affectedUsers: number;
  peakScore: number | null;
  kind: PatternKind;
  /** Failures in the 24 hours before the last refresh, and distinct clients hit: the impact ranking. */
  failures24h: number;
  affectedClients: number;
  /** The best-ranked suspected admin change. */
  topSuspect: SuspectedChange | null;
}

/** Patterns, most recently active first unless another sort is asked for. */
export async function listPatterns(db: Db, params: ListPatternsParams = {}): Promise<PatternSummary[]> {
  const limit = Math.min(Math.max(1, params.limit ?? 50), 500);
  const orders: Record<PatternSort, postgres.Fragment> = {
    impact: db`(status = 'resolved'), failures_24h desc, affected_users desc, affected_clients desc,
               (kind <> 'acute'), last_seen desc, id`,
    start: db`first_seen desc, id`,
    "last-seen": db`last_seen desc, id`,
    failures: db`event_count desc, last_seen desc, id`,
  };
  const order = orders[params.sort ?? "last-seen"] ?? orders["last-seen"];
  const rows = await db<
    (PatternRowBase & {
      kind: PatternKind;
      failures_24h: number;
      affected_clients: number;
      top_suspect: SuspectedChange | null;
    })[]
  >`
    select id, source_id, realm, cause, scope_kind, scope_value, client_id, user_id, status, first_seen, last_seen,
           event_count, affected_users, peak_score, kind, failures_24h, affected_clients,
           suspected_changes -> 0 as top_suspect
    from patterns
    where true
      ${params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``}
      ${params.realm !== undefined ? db`and realm = ${params.realm}` : db``}
      ${params.statuses?.length ? db`and status = any(${params.statuses as string[]}::text[])` : db``}
      ${params.causes?.length ? db`and cause = any(${params.causes as string[]}::text[])` : db``}
      ${params.since !== undefined ? db`and last_seen >= ${iso(params.since)}::timestamptz` : db``}
    order by ${order}
    limit ${limit}`;
  return rows.map((r) => ({
    ...patternFields(r),
    kind: r.kind,
    failures24h: r.failures_24h,
    affectedClients: r.affected_clients,
    topSuspect: r.top_suspect,
  }));
}

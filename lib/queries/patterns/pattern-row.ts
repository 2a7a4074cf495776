import type { SuspectedChange } from "@/lib/analytics/admin-correlation";
import type { Dimension } from "@/lib/analytics/attribution";
import type { PatternKind, PatternStatus, ScopeKind } from "@/lib/analytics/patterns";

/** A row of the patterns table as postgres.js returns it (prisma/schema.prisma, model Pattern). */
export interface PatternRow {
  id: string;
  source_id: string;
  realm: string;
  cause: string;
  scope_kind: ScopeKind;
  scope_value: string;
  client_id: string | null;
  user_id: string | null;
  status: PatternStatus;
  kind: PatternKind;
  first_seen: Date;
  last_seen: Date;
  event_count: number;
  affected_users: number;
  affected_clients: number;
  failures_24h: number;
  peak_score: number | null;
  baseline: number | null;
  sample_event_ids: string[] | null;
  suspected_changes: SuspectedChange[] | null;
  contributors: [Dimension, string, number, number][] | null;
  evidence: string | null;
  body_at: Date | null;
  updated_at: Date;
}

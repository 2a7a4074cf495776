import { type Db, iso } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

/** A pattern active at some time in a range: enough to link a spike of a chart to it. */
export interface PatternInRange {
  id: string;
  cause: string;
  clientId: string | null;
  firstSeen: number;
  lastSeen: number;
  eventCount: number;
}

/**
 * The patterns of a scope whose [first seen, last seen] overlaps the range, most failures first (a spike on a
 * chart opens the largest pattern of its cause at that time). A client scope keeps patterns of that client and
 * the realm-wide ones; a realm-wide pattern is kept for any client of its realm.
 */
export async function listPatternsInRange(
  db: Db,
  params: { sourceId?: string; realm?: string; clientId?: string; range: TimeRange; limit?: number },
): Promise<PatternInRange[]> {
  const limit = Math.min(Math.max(1, params.limit ?? 200), 1000);
  const rows = await db<
    {
      id: string;
      cause: string;
      client_id: string | null;
      first_seen: Date;
      last_seen: Date;
      event_count: number;
    }[]
  >`
    select id, cause, client_id, first_seen, last_seen, event_count
    from patterns
    where first_seen < ${iso(params.range.to)}::timestamptz and last_seen >= ${iso(params.range.from)}::timestamptz
      ${params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``}
      ${params.realm !== undefined ? db`and realm = ${params.realm}` : db``}
      ${params.clientId !== undefined ? db`and (client_id = ${params.clientId} or client_id is null)` : db``}
    order by event_count desc, id
    limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    cause: r.cause,
    clientId: r.client_id,
    firstSeen: r.first_seen.getTime(),
    lastSeen: r.last_seen.getTime(),
    eventCount: r.event_count,
  }));
}

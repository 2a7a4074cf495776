import { type Db, iso } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

/** A source's Keycloak changing version (an upgrade or a downgrade), as a chart marks it. */
export interface VersionChangeMark {
  time: number;
  sourceId: string;
  sourceName: string;
  previous: string;
  version: string;
}

/**
 * The Keycloak version changes realmwatch detected on the sources in scope during a range, oldest first: a
 * version detected after another one. The first version a source was seen with is not a change.
 */
export async function listVersionChangesInRange(
  db: Db,
  params: { sourceId?: string; range: TimeRange },
): Promise<VersionChangeMark[]> {
  const rows = await db<
    { detected_at: Date; source_id: string; name: string; previous: string; version: string }[]
  >`
    select v.detected_at, v.source_id, s.name, v.previous, v.version
    from source_versions v join sources s on s.id = v.source_id
    where v.previous is not null
      and v.detected_at >= ${iso(params.range.from)}::timestamptz
      and v.detected_at < ${iso(params.range.to)}::timestamptz
      ${params.sourceId ? db`and v.source_id = ${params.sourceId}::uuid` : db``}
    order by v.detected_at
    limit 100`;
  return rows.map((r) => ({
    time: r.detected_at.getTime(),
    sourceId: r.source_id,
    sourceName: r.name,
    previous: r.previous,
    version: r.version,
  }));
}

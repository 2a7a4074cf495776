import { type AdminChangeKind, classifyAdminChange } from "@/lib/analytics/admin-change";
import { type Db, iso } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

/** An admin change as a chart marks it: when, where, and what kind (no path, no admin: nothing personal). */
export interface AdminChangeMark {
  time: number;
  sourceId: string;
  realm: string;
  operationType: string;
  resourceType: string | null;
  kind: AdminChangeKind;
}

/**
 * The admin changes of a scope in a range, newest first, at most `limit` (the charts mark them beside the
 * failures they may explain). Read through the (source_id, realm, time) index.
 */
export async function listAdminChangesInRange(
  db: Db,
  params: { sourceId?: string; realm?: string; range: TimeRange; limit?: number },
): Promise<AdminChangeMark[]> {
  const limit = Math.min(Math.max(1, params.limit ?? 200), 1000);
  const rows = await db<
    {
      time: Date;
      source_id: string;
      realm: string;
      operation_type: string;
      resource_type: string | null;
      resource_path: string | null;
    }[]
  >`
    select time, source_id, realm, operation_type, resource_type, resource_path
    from admin_events
    where time >= ${iso(params.range.from)}::timestamptz and time < ${iso(params.range.to)}::timestamptz
      ${params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``}
      ${params.realm !== undefined ? db`and realm = ${params.realm}` : db``}
    order by time desc
    limit ${limit}`;
  return rows.map((r) => ({
    time: r.time.getTime(),
    sourceId: r.source_id,
    realm: r.realm,
    operationType: r.operation_type,
    resourceType: r.resource_type,
    kind: classifyAdminChange({
      operationType: r.operation_type,
      resourceType: r.resource_type,
      resourcePath: r.resource_path,
    }).kind,
  }));
}

import { type AdminChangeKind, classifyAdminChange } from "@/lib/analytics/admin-change";
import { type Db, iso } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface AdminTimelineEntry {
  sourceId: string;
  id: string;
  time: number;
  operationType: string;
  resourceType: string | null;
  resourcePath: string | null;
  kind: AdminChangeKind;
  representation: string | null;
  /** Keycloak's id of the event's realm; the admin's own realm and user id (the admin is usually in master). */
  realmId: string | null;
  authRealmId: string | null;
  authUserId: string | null;
}

/**
 * Admin events on resources under any of the given path prefixes ("users/<id>", "clients/<uuid>"): the
 * resource itself and everything below it, newest first. Prefixes are compared with left(), not LIKE, so a
 * `%` or `_` in an id matches only itself.
 */
export async function listAdminEventsUnder(
  db: Db,
  params: { sourceId?: string; realm: string; prefixes: readonly string[]; range: TimeRange; limit?: number },
): Promise<AdminTimelineEntry[]> {
  if (params.prefixes.length === 0) return [];
  const limit = Math.min(Math.max(1, params.limit ?? 100), 1000);
  const rows = await db<
    {
      source_id: string;
      id: string;
      time: Date;
      operation_type: string;
      resource_type: string | null;
      resource_path: string | null;
      representation: string | null;
      realm_id: string | null;
      auth_realm_id: string | null;
      auth_user_id: string | null;
    }[]
  >`
    select a.source_id, a.id, a.time, a.operation_type, a.resource_type, a.resource_path, a.representation,
           a.realm_id, a.auth_realm_id, a.auth_user_id
    from admin_events a
    where a.realm = ${params.realm} ${params.sourceId ? db`and a.source_id = ${params.sourceId}::uuid` : db``}
      and a.time >= ${iso(params.range.from)}::timestamptz and a.time < ${iso(params.range.to)}::timestamptz
      and exists (
        select 1 from unnest(${params.prefixes as string[]}::text[]) as p(prefix)
        where a.resource_path = p.prefix or left(a.resource_path, length(p.prefix) + 1) = p.prefix || '/'
      )
    order by a.time desc
    limit ${limit}`;
  return rows.map((r) => ({
    sourceId: r.source_id,
    id: r.id,
    time: r.time.getTime(),
    operationType: r.operation_type,
    resourceType: r.resource_type,
    resourcePath: r.resource_path,
    kind: classifyAdminChange({
      operationType: r.operation_type,
      resourceType: r.resource_type,
      resourcePath: r.resource_path,
    }).kind,
    representation: r.representation,
    realmId: r.realm_id,
    authRealmId: r.auth_realm_id,
    authUserId: r.auth_user_id,
  }));
}

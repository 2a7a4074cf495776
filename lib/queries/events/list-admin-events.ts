import type postgres from "postgres";
import { type AdminEventFilter, resourcePathPattern } from "./admin-event-filter";
import { type AdminEventDbRow, type AdminEventRecord, toAdminEventRecord } from "./admin-event-record";
import { fetchKeysetPage, type KeysetPage, type PageRequest } from "./keyset-page";
import { listPartitions, type Partition } from "./list-partitions";
import { joinAnd } from "./user-event-conditions";

export interface AdminEventScope {
  partitions: Partition[];
  conditions: postgres.Fragment;
}

export async function adminEventScope(sql: postgres.Sql, f: AdminEventFilter): Promise<AdminEventScope> {
  const partitions = await listPartitions(sql, "admin_events", { sourceId: f.sourceId, realm: f.realm });
  const parts: postgres.Fragment[] = [
    sql`time >= ${new Date(f.range.from)} and time < ${new Date(f.range.to)}`,
  ];
  if (f.resourceTypes.length > 0) parts.push(sql`resource_type = any(${f.resourceTypes}::text[])`);
  if (f.operations.length > 0) parts.push(sql`operation_type = any(${f.operations}::text[])`);
  if (f.resourcePath) parts.push(sql`resource_path like ${resourcePathPattern(f.resourcePath)}`);
  if (f.authUserId) parts.push(sql`auth_user_id = ${f.authUserId}`);
  if (f.authIp) parts.push(sql`auth_ip_address = ${f.authIp}`);
  return { partitions, conditions: joinAnd(sql, parts) };
}

export const ADMIN_EVENT_COLUMNS = (sql: postgres.Sql) => sql`
  source_id, realm, id, time, realm_id, auth_realm_id, auth_client_id, auth_user_id, auth_ip_address,
  operation_type, resource_type, resource_path, representation, error, details, origin`;

/** One page of the filtered admin events, newest first. */
export async function listAdminEvents(
  sql: postgres.Sql,
  scope: AdminEventScope,
  page: PageRequest,
): Promise<KeysetPage<AdminEventRecord>> {
  const result = await fetchKeysetPage<AdminEventDbRow>(
    sql,
    "admin_events",
    ADMIN_EVENT_COLUMNS(sql),
    scope.partitions,
    scope.conditions,
    page,
  );
  return { ...result, rows: result.rows.map(toAdminEventRecord) };
}

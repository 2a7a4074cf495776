import type postgres from "postgres";
import { resolveClientIds } from "../names/resolve-client-ids";
import { resolveUserIds } from "../names/resolve-user-ids";
import { fetchKeysetPage, type KeysetPage, type PageRequest } from "./keyset-page";
import { listPartitions, type Partition } from "./list-partitions";
import { userEventConditions } from "./user-event-conditions";
import type { UserEventFilter } from "./user-event-filter";
import { toUserEventRecord, type UserEventDbRow, type UserEventRecord } from "./user-event-record";

/** Where a user-event filter reads from: its partitions and its conditions, resolved once per request. */
export interface UserEventScope {
  partitions: Partition[];
  conditions: postgres.Fragment;
  /** The client ids the filter's client terms stand for. */
  clientIds: string[];
}

export async function userEventScope(sql: postgres.Sql, f: UserEventFilter): Promise<UserEventScope> {
  const scope = { sourceId: f.sourceId, realm: f.realm };
  const [partitions, userIds, clientIds] = await Promise.all([
    listPartitions(sql, "user_events", scope),
    resolveUserIds(sql, f.users, scope),
    resolveClientIds(sql, f.clients, scope),
  ]);
  return { partitions, clientIds, conditions: userEventConditions(sql, f, userIds, clientIds) };
}

export const USER_EVENT_COLUMNS = (sql: postgres.Sql) => sql`
  source_id, realm, id, time, type, realm_id, client_id, user_id, session_id, ip_address, error, details,
  is_failure, username, cause, rule_id, confidence, evidence, origin, http_method, http_path, http_status, copy_of`;

/** One page of the filtered user events, newest first. */
export async function listUserEvents(
  sql: postgres.Sql,
  scope: UserEventScope,
  page: PageRequest,
): Promise<KeysetPage<UserEventRecord>> {
  const result = await fetchKeysetPage<UserEventDbRow>(
    sql,
    "user_events",
    USER_EVENT_COLUMNS(sql),
    scope.partitions,
    scope.conditions,
    page,
  );
  return { ...result, rows: result.rows.map(toUserEventRecord) };
}

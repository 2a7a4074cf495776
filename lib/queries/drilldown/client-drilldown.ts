import { type Db, newestFailures } from "@/lib/queries/filters";
import { type FailureSeries, getFailureSeries } from "@/lib/queries/overview/failure-series";
import {
  listTopUsersAndIps,
  type TopList,
  type TopUser,
} from "@/lib/queries/overview/list-top-users-and-ips";
import { listTopErrors, type TopError } from "@/lib/queries/overview/top-errors";
import { type AdminTimelineEntry, listAdminEventsUnder } from "@/lib/queries/patterns/admin-timeline";
import type { Bucket } from "@/lib/time/choose-bucket";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface ClientDrilldownParams {
  sourceId?: string;
  realm: string;
  /** The human clientId. */
  clientId: string;
  range: TimeRange;
  timeZone: string;
  bucket?: Bucket;
  limit?: number;
}

export interface ClientDrilldown {
  clientId: string;
  /** Internal UUIDs this clientId had, as admin event representations show them (a re-created client has two). */
  uuids: string[];
  series: FailureSeries;
  topErrors: TopError[];
  topUsers: TopList<TopUser>;
  recentFailures: {
    id: string;
    time: number;
    type: string;
    error: string | null;
    cause: string | null;
    userId: string | null;
    ipAddress: string | null;
  }[];
  /** Changes to the client, its roles, mappers, scopes and secret, from a week before the range. */
  adminEvents: AdminTimelineEntry[];
}

const WEEK = 7 * 86_400_000;
/**
 * A busy client's top users are judged on its newest failures; the list says when it was cut short. Each
 * failure read is a heap fetch through the client's failure index: 2,000 read about 1,700 pages at 10M events.
 */
const TOP_USERS_SCAN = 2_000;

/** One client: its denials by cause over time, top errors and users, recent failures and admin changes. */
export async function getClientDrilldown(db: Db, params: ClientDrilldownParams): Promise<ClientDrilldown> {
  const limit = Math.min(Math.max(1, params.limit ?? 50), 500);
  const filter = { sourceId: params.sourceId, realm: params.realm, clientId: params.clientId };
  const source = params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``;
  const failures = newestFailures(db, filter, params.range);
  // Admin events name clients by internal UUID: the realm's client list, the names learnt and the client's own
  // representation carry both.
  const needle = `"clientId":${JSON.stringify(params.clientId)}`;
  const [series, topErrors, topUsers, recent, uuidRows] = await Promise.all([
    getFailureSeries(db, {
      ...filter,
      range: params.range,
      timeZone: params.timeZone,
      bucket: params.bucket,
    }),
    listTopErrors(db, { ...filter, range: params.range }),
    listTopUsersAndIps(db, { ...filter, range: params.range, scanLimit: TOP_USERS_SCAN, ips: false }).then(
      (top) => top.users,
    ),
    db<
      {
        id: string;
        time: Date;
        type: string;
        error: string | null;
        cause: string | null;
        user_id: string | null;
        ip_address: string | null;
      }[]
    >`
      select id, time, type, error, cause, user_id, ip_address
      from user_events
      where ${failures.where}
      order by ${failures.order}
      limit ${limit}`,
    db<{ uuid: string }[]>`
      select split_part(resource_path, '/', 2) as uuid
      from admin_events
      where realm = ${params.realm} ${source}
        and resource_path like 'clients/%' and strpos(representation, ${needle}) > 0
      union
      select c.key from realms as r
      cross join lateral jsonb_each_text(
        case when jsonb_typeof(r.client_ids) = 'object' then r.client_ids else '{}'::jsonb end) as c
      where r.name = ${params.realm} ${params.sourceId ? db`and r.source_id = ${params.sourceId}::uuid` : db``}
        and c.value = ${params.clientId}
      union
      select id from entity_names
      where realm = ${params.realm} ${source} and kind = 'client' and name = ${params.clientId}`,
  ]);
  const uuids = uuidRows.map((r) => r.uuid).filter((u) => u !== "");
  const adminEvents = await listAdminEventsUnder(db, {
    sourceId: params.sourceId,
    realm: params.realm,
    prefixes: uuids.map((u) => `clients/${u}`),
    range: { from: params.range.from - WEEK, to: params.range.to },
    limit,
  });
  return {
    clientId: params.clientId,
    uuids,
    series,
    topErrors,
    topUsers,
    recentFailures: recent.map((r) => ({
      id: r.id,
      time: r.time.getTime(),
      type: r.type,
      error: r.error,
      cause: r.cause,
      userId: r.user_id,
      ipAddress: r.ip_address,
    })),
    adminEvents,
  };
}

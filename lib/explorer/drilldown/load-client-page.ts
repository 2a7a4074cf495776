import type postgres from "postgres";
import { type ClientDrilldown, getClientDrilldown } from "@/lib/analytics/queries/client-drilldown";
import { enterViewerRole, requestViewerRole, showPersonal } from "@/lib/http/personal-data";
import type { QueryInput } from "@/lib/http/query-params";
import { type AdminTimelineView, adminTimelineViews } from "../admin-event-view";
import { lookupUsernamesInScope } from "../lookup-usernames";
import { type DenialSpike, detectDenialSpikes } from "../overview/detect-denial-spikes";
import { type DrilldownFilter, parseDrilldownFilter } from "./drilldown-filter";

export interface ClientPage {
  filter: DrilldownFilter;
  drilldown: ClientPageDrilldown;
  spikes: DenialSpike[];
}

export interface ClientPageDrilldown extends Omit<ClientDrilldown, "adminEvents" | "recentFailures"> {
  adminEvents: AdminTimelineView[];
  /** The latest username of each failure's user (through showPersonal). */
  recentFailures: (ClientDrilldown["recentFailures"][number] & { username: string | null })[];
}

/** One client: failure mix over time, its spikes, affected users, recent failures and admin changes. */
export async function loadClientPage(
  sql: postgres.Sql,
  path: { realm: string; clientId: string },
  input: QueryInput,
  now: number,
): Promise<ClientPage> {
  enterViewerRole(await requestViewerRole());
  const filter = parseDrilldownFilter({ realm: path.realm, id: path.clientId }, input, now);
  const scope = { sourceId: filter.sourceId ?? undefined, realm: filter.realm };
  const [d, spikes] = await Promise.all([
    getClientDrilldown(sql, {
      ...scope,
      clientId: filter.id,
      range: filter.range,
      timeZone: filter.timeZone,
      bucket: filter.bucket ?? undefined,
    }),
    detectDenialSpikes(sql, { ...scope, clientId: filter.id }, filter.range, filter.timeZone),
  ]);
  const [adminEvents, usernames] = await Promise.all([
    adminTimelineViews(sql, filter.realm, d.adminEvents),
    lookupUsernamesInScope(
      sql,
      [...d.topUsers.rows, ...d.recentFailures].flatMap((f) => (f.userId ? [f.userId] : [])),
      scope,
    ),
  ]);
  return {
    filter,
    spikes,
    drilldown: {
      ...d,
      adminEvents,
      topUsers: {
        ...d.topUsers,
        rows: d.topUsers.rows.map((u) => ({
          ...u,
          username: showPersonal(usernames.get(u.userId) ?? u.username, "username"),
        })),
      },
      recentFailures: d.recentFailures.map((f) => ({
        ...f,
        ipAddress: showPersonal(f.ipAddress, "ip"),
        username: f.userId ? showPersonal(usernames.get(f.userId), "username") : null,
      })),
    },
  };
}

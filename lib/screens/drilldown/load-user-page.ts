import type postgres from "postgres";
import { enterViewerRole, requestViewerRole, showPersonal } from "@/lib/auth/personal-data";
import { getUserDrilldown, type UserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import type { QueryInput } from "@/lib/server/query-params";
import { type AdminTimelineView, adminTimelineViews } from "../events/admin-event-view";
import { type DrilldownFilter, parseDrilldownFilter } from "./drilldown-filter";

export interface UserPage {
  filter: DrilldownFilter;
  drilldown: UserPageDrilldown;
}

export interface UserPageDrilldown extends Omit<UserDrilldown, "adminEvents"> {
  /** Admin changes to the user, with the admins and objects by name. */
  adminEvents: AdminTimelineView[];
}

/** "Why can't this user log in?": the user's drill-down with personal fields through showPersonal. */
export async function loadUserPage(
  sql: postgres.Sql,
  path: { realm: string; userId: string },
  input: QueryInput,
  now: number,
): Promise<UserPage> {
  enterViewerRole(await requestViewerRole());
  const filter = parseDrilldownFilter({ realm: path.realm, id: path.userId }, input, now);
  const d = await getUserDrilldown(sql, {
    sourceId: filter.sourceId ?? undefined,
    realm: filter.realm,
    userId: filter.id,
    range: filter.range,
    limit: 200,
  });
  return {
    filter,
    drilldown: {
      ...d,
      adminEvents: await adminTimelineViews(sql, filter.realm, d.adminEvents),
      names: d.names.map((n) => ({
        ...n,
        username: showPersonal(n.username, "username") ?? "",
        email: showPersonal(n.email, "email"),
      })),
      events: d.events.map((e) => ({ ...e, ipAddress: showPersonal(e.ipAddress, "ip") })),
    },
  };
}

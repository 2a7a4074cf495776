import type postgres from "postgres";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import { userRef } from "@/lib/auth/viewer-input";
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

/** "Why can't this user log in?": the user's drill-down with personal fields masked for the role. */
export async function loadUserPage(
  sql: postgres.Sql,
  role: Role,
  path: { realm: string; userId: string },
  input: QueryInput,
  now: number,
): Promise<UserPage> {
  // A viewer's link carries an opaque id (lib/auth/viewer-boundary.ts); a raw id needs the analyst role.
  const filter = parseDrilldownFilter({ realm: path.realm, id: userRef(path.userId, role) }, input, now);
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
      adminEvents: await adminTimelineViews(sql, filter.realm, d.adminEvents, role),
      names: d.names.map((n) => ({
        ...n,
        username: maskPersonal(n.username, "username", role) ?? "",
        email: maskPersonal(n.email, "email", role),
      })),
      events: d.events.map((e) => ({ ...e, ipAddress: maskPersonal(e.ipAddress, "ip", role) })),
    },
  };
}

import type postgres from "postgres";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import { userRef } from "@/lib/auth/viewer-input";
import { isKnownUser } from "@/lib/queries/drilldown/known-entity";
import { getUserDrilldown, type UserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { AppError } from "@/lib/server/errors";
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
  const who = { sourceId: filter.sourceId ?? undefined, realm: filter.realm, userId: filter.id };
  const [d, known] = await Promise.all([
    getUserDrilldown(sql, { ...who, range: filter.range, limit: 200 }),
    isKnownUser(sql, who),
  ]);
  if (!known) throw new AppError("not_found", `No user with this id was ever seen in realm ${filter.realm}.`);
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
      events: d.events.map((e) => ({
        ...e,
        ipAddress: maskPersonal(e.ipAddress, "ip", role),
        impersonator: maskImpersonator(e.impersonator, role),
      })),
      impersonations: d.impersonations.map((i) => ({
        ...i,
        impersonator: maskImpersonator(i.impersonator, role) ?? {},
      })),
    },
  };
}

/**
 * Impersonator details name a person: every value but the realm is masked for viewers, whatever its key (26.8
 * adds keys under the `impersonator` prefix whose names realmwatch does not fix).
 */
function maskImpersonator(details: Record<string, string> | null, role: Role): Record<string, string> | null {
  if (!details) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    const kind = key === "impersonator_realm" ? null : key.endsWith("_id") ? "user-id" : "username";
    out[key] = kind ? (maskPersonal(value, kind, role) ?? "") : value;
  }
  return out;
}

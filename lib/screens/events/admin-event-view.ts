import type postgres from "postgres";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import type { AdminEventRecord } from "@/lib/queries/events/admin-event-record";
import type { AdminTimelineEntry } from "@/lib/queries/patterns/admin-timeline";
import { type AdminShown, adminShown, loadNames, pathRefs, realmNamer } from "../names/load-names";
import { type NamedPart, namePath } from "../names/named-parts";

/** Who made an admin change, by name, and the changed resource's path with names for its ids. */
export interface AdminChangeNames {
  admin: AdminShown | null;
  resource: NamedPart[];
}

interface ChangeRef {
  sourceId: string;
  realm: string;
  realmId: string | null;
  authRealmId: string | null;
  authUserId: string | null;
  resourcePath: string | null;
}

/** The names of a batch of admin changes, looked up together. */
export async function nameAdminChanges(
  sql: postgres.Sql,
  changes: readonly ChangeRef[],
  role: Role,
): Promise<AdminChangeNames[]> {
  const adminRef = (c: ChangeRef) =>
    c.authUserId
      ? {
          sourceId: c.sourceId,
          realm: c.realm,
          realmId: c.realmId,
          authRealmId: c.authRealmId,
          userId: c.authUserId,
        }
      : null;
  if (changes.length === 0) return [];
  const names = await loadNames(sql, {
    entities: pathRefs(changes.map((c) => ({ sourceId: c.sourceId, realm: c.realm, path: c.resourcePath }))),
    admins: changes.flatMap((c) => adminRef(c) ?? []),
  });
  return changes.map((c) => {
    const ref = adminRef(c);
    return {
      admin: ref ? adminShown(names, ref, role) : null,
      resource: namePath(c.resourcePath, realmNamer(names, c.sourceId, c.realm, role)),
    };
  });
}

/** An admin event as the explorer shows it. */
export interface AdminEventView extends AdminEventRecord, AdminChangeNames {}

/** A page of admin events with names; the admin's address masked for the role. */
export async function adminEventViews(
  sql: postgres.Sql,
  events: readonly AdminEventRecord[],
  role: Role,
): Promise<AdminEventView[]> {
  const named = await nameAdminChanges(
    sql,
    events.map((e) => ({
      sourceId: e.sourceId,
      realm: e.realm,
      realmId: e.realmId,
      authRealmId: e.authDetails.realmId,
      authUserId: e.authDetails.userId,
      resourcePath: e.resourcePath,
    })),
    role,
  );
  return events.map((e, i) => ({
    ...e,
    authDetails: { ...e.authDetails, ipAddress: maskPersonal(e.authDetails.ipAddress, "ip", role) },
    ...named[i]!,
  }));
}

/** An admin change on a user's or a client's timeline. */
export interface AdminTimelineView extends AdminTimelineEntry, AdminChangeNames {}

export async function adminTimelineViews(
  sql: postgres.Sql,
  realm: string,
  entries: readonly AdminTimelineEntry[],
  role: Role,
): Promise<AdminTimelineView[]> {
  const named = await nameAdminChanges(
    sql,
    entries.map((e) => ({ ...e, realm })),
    role,
  );
  return entries.map((e, i) => ({ ...e, ...named[i]! }));
}

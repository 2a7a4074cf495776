import type postgres from "postgres";
import { z } from "zod";
import type { Role } from "@/lib/auth/roles";
import { refuseIdentifyingFilter, userRef } from "@/lib/auth/viewer-input";
import { type AdminEventFilter, parseAdminEventFilter } from "@/lib/queries/events/admin-event-filter";
import { countUserEvents, type EventTotal } from "@/lib/queries/events/count-user-events";
import { adminEventScope, listAdminEvents } from "@/lib/queries/events/list-admin-events";
import { listUserEvents, userEventScope } from "@/lib/queries/events/list-user-events";
import { parseUserEventFilter, type UserEventFilter } from "@/lib/queries/events/user-event-filter";
import { lookupUsernames, userKey } from "@/lib/queries/names/lookup-usernames";
import { cursorPart, limitPart, type QueryInput, queryRecord } from "@/lib/server/query-params";
import { type AdminEventView, adminEventViews } from "./admin-event-view";
import { type UserEventView, userEventView } from "./user-event-view";

export const pageQuerySchema = z.object({ limit: limitPart, after: cursorPart, before: cursorPart });

export interface UserEventsPage {
  filter: UserEventFilter;
  total: EventTotal;
  events: UserEventView[];
  newer: string | null;
  older: string | null;
}

/** The explorer's user-event tab (page and JSON API alike): one page, its total, and the paging cursors. */
export async function loadUserEventsPage(
  sql: postgres.Sql,
  role: Role,
  input: QueryInput,
  now: number,
): Promise<UserEventsPage> {
  // The filter as given (a viewer's opaque user ids stay opaque in the page's links); the query's with ids.
  const filter = parseUserEventFilter(input, now);
  refuseIdentifyingFilter(role, "address", filter.ip);
  const resolved = { ...filter, users: filter.users.map((u) => userRef(u, role)) };
  const paging = pageQuerySchema.parse(queryRecord(input));
  const scope = await userEventScope(sql, resolved);
  const [page, total] = await Promise.all([
    listUserEvents(sql, scope, paging),
    countUserEvents(sql, scope, resolved),
  ]);
  const unnamed = page.rows.flatMap((r) => (r.userId && !r.username ? [{ ...r, userId: r.userId }] : []));
  const names = await lookupUsernames(sql, unnamed);
  const events = page.rows.map((r) =>
    userEventView(
      r.userId && !r.username
        ? { ...r, username: names.get(userKey({ ...r, userId: r.userId })) ?? null }
        : r,
      role,
    ),
  );
  return { filter, total, events, newer: page.newer, older: page.older };
}

export interface AdminEventsPage {
  filter: AdminEventFilter;
  events: AdminEventView[];
  newer: string | null;
  older: string | null;
}

/** The explorer's admin-event tab: one page, with the admins and objects by name, and its cursors. */
export async function loadAdminEventsPage(
  sql: postgres.Sql,
  role: Role,
  input: QueryInput,
  now: number,
): Promise<AdminEventsPage> {
  const filter = parseAdminEventFilter(input, now);
  refuseIdentifyingFilter(role, "address", filter.authIp);
  const resolved = { ...filter, authUserId: filter.authUserId ? userRef(filter.authUserId, role) : null };
  const paging = pageQuerySchema.parse(queryRecord(input));
  const page = await listAdminEvents(sql, await adminEventScope(sql, resolved), paging);
  const events = await adminEventViews(sql, page.rows, role);
  return { filter, events, newer: page.newer, older: page.older };
}

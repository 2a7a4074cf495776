import type postgres from "postgres";
import type { Role } from "@/lib/auth/roles";
import { refuseIdentifyingFilter, userRef } from "@/lib/auth/viewer-input";
import { userEventScope } from "@/lib/queries/events/list-user-events";
import { parseUserEventFilter } from "@/lib/queries/events/user-event-filter";
import { type EventHistogram, userEventHistogram } from "@/lib/queries/events/user-event-histogram";
import type { QueryInput } from "@/lib/server/query-params";

/**
 * The explorer's histogram: the user events its filter matches per bucket, in the viewer's zone. Read from the
 * rollups when the filter holds only what they hold; counted row by row with users, an address, event ids or
 * copies in the filter (those narrow the rows to few).
 */
export async function loadEventHistogram(
  sql: postgres.Sql,
  role: Role,
  input: QueryInput,
  now: number,
): Promise<EventHistogram & { timeZone: string }> {
  const filter = parseUserEventFilter(input, now);
  refuseIdentifyingFilter(role, "address", filter.ip);
  const resolved = { ...filter, users: filter.users.map((u) => userRef(u, role)) };
  const scope = await userEventScope(sql, resolved);
  const byRow = resolved.users.length > 0 || resolved.ip || resolved.ids.length > 0 || resolved.copyOf;
  const histogram = await userEventHistogram(sql, scope, resolved, byRow ? "rows" : "rollups");
  return { ...histogram, timeZone: filter.timeZone };
}

import type postgres from "postgres";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import { type ClientDrilldown, getClientDrilldown } from "@/lib/queries/drilldown/client-drilldown";
import {
  type FailuresNamingClient,
  listFailuresByUserAgent,
  listRefusalsByApi,
  type NamedFailure,
} from "@/lib/queries/drilldown/clients-in-details";
import { isKnownClient } from "@/lib/queries/drilldown/known-entity";
import { lookupUsernamesInScope } from "@/lib/queries/names/lookup-usernames";
import { detectFailureSpikes } from "@/lib/queries/overview/detect-failure-spikes";
import { listPatternsInRange } from "@/lib/queries/patterns/patterns-in-range";
import { AppError } from "@/lib/server/errors";
import type { QueryInput } from "@/lib/server/query-params";
import { type AdminTimelineView, adminTimelineViews } from "../events/admin-event-view";
import { type LinkedSpike, linkSpikesToPatterns } from "../overview/link-spikes";
import { type DrilldownFilter, parseDrilldownFilter } from "./drilldown-filter";

export interface ClientPage {
  filter: DrilldownFilter;
  drilldown: ClientPageDrilldown;
  /** Spikes, most unusual first, each with its pattern (of this client or realm-wide) when one was found. */
  spikes: LinkedSpike[];
  /** Other clients' failures this client refused as an API or was the audience of, grouped by caller. */
  refusals: NamedFailures;
  /** Tokenless access-log failures whose user agent names this client. */
  byUserAgent: NamedFailures;
}

export interface NamedFailures extends Omit<FailuresNamingClient, "recent"> {
  /** With the user's latest username and the address, masked for the role. */
  recent: (NamedFailure & { username: string | null })[];
}

export interface ClientPageDrilldown extends Omit<ClientDrilldown, "adminEvents" | "recentFailures"> {
  adminEvents: AdminTimelineView[];
  /** The latest username of each failure's user (masked for the role). */
  recentFailures: (ClientDrilldown["recentFailures"][number] & { username: string | null })[];
}

/**
 * One client: failure mix over time, its spikes, affected users, recent failures and admin changes, and the
 * failures that name it in their details only (refused by it as an API or audience, or by its user agent).
 */
export async function loadClientPage(
  sql: postgres.Sql,
  role: Role,
  path: { realm: string; clientId: string },
  input: QueryInput,
  now: number,
): Promise<ClientPage> {
  const filter = parseDrilldownFilter({ realm: path.realm, id: path.clientId }, input, now);
  const scope = { sourceId: filter.sourceId ?? undefined, realm: filter.realm };
  const named = { ...scope, clientId: filter.id, range: filter.range, recentLimit: 10 };
  const [d, spikes, refusals, byUserAgent, active, known] = await Promise.all([
    getClientDrilldown(sql, {
      ...scope,
      clientId: filter.id,
      range: filter.range,
      timeZone: filter.timeZone,
      bucket: filter.bucket ?? undefined,
    }),
    detectFailureSpikes(sql, { ...scope, clientId: filter.id }, filter.range, filter.timeZone),
    listRefusalsByApi(sql, named),
    listFailuresByUserAgent(sql, named),
    listPatternsInRange(sql, { ...scope, clientId: filter.id, range: filter.range }),
    isKnownClient(sql, { ...scope, clientId: filter.id }),
  ]);
  // An API client may appear only in other clients' failures (as the audience that refused them), a client
  // without failures only in admin changes to it.
  if (!known && refusals.total === 0 && byUserAgent.total === 0 && d.adminEvents.length === 0)
    throw new AppError("not_found", `No client ${filter.id} was ever seen in realm ${filter.realm}.`);
  const [adminEvents, usernames] = await Promise.all([
    adminTimelineViews(sql, filter.realm, d.adminEvents, role),
    lookupUsernamesInScope(
      sql,
      [...d.topUsers.rows, ...d.recentFailures, ...refusals.recent, ...byUserAgent.recent].flatMap((f) =>
        f.userId ? [f.userId] : [],
      ),
      scope,
    ),
  ]);
  const withNames = (list: FailuresNamingClient): NamedFailures => ({
    ...list,
    recent: list.recent.map((f) => ({
      ...f,
      ipAddress: maskPersonal(f.ipAddress, "ip", role),
      username: f.userId ? maskPersonal(usernames.get(f.userId), "username", role) : null,
    })),
  });
  return {
    filter,
    spikes: linkSpikesToPatterns(spikes, active),
    refusals: withNames(refusals),
    byUserAgent: withNames(byUserAgent),
    drilldown: {
      ...d,
      adminEvents,
      topUsers: {
        ...d.topUsers,
        rows: d.topUsers.rows.map((u) => ({
          ...u,
          username: maskPersonal(usernames.get(u.userId) ?? u.username, "username", role),
        })),
      },
      recentFailures: d.recentFailures.map((f) => ({
        ...f,
        ipAddress: maskPersonal(f.ipAddress, "ip", role),
        username: f.userId ? maskPersonal(usernames.get(f.userId), "username", role) : null,
      })),
    },
  };
}

import type postgres from "postgres";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import { lookupUsernamesInScope } from "@/lib/queries/names/lookup-usernames";
import { type AdminChangeMark, listAdminChangesInRange } from "@/lib/queries/overview/admin-changes-in-range";
import { countRangeEvents } from "@/lib/queries/overview/count-range-events";
import { detectFailureSpikes } from "@/lib/queries/overview/detect-failure-spikes";
import { type FailureSeries, getFailureSeries } from "@/lib/queries/overview/failure-series";
import { type HealthFinding, listIngestionHealth } from "@/lib/queries/overview/ingestion-health";
import {
  listTopUsersAndIps,
  type TopIp,
  type TopList,
  type TopUser,
} from "@/lib/queries/overview/list-top-users-and-ips";
import { listTopClients, type TopClient } from "@/lib/queries/overview/top-clients";
import { listTopErrors, type TopError } from "@/lib/queries/overview/top-errors";
import {
  listVersionChangesInRange,
  type VersionChangeMark,
} from "@/lib/queries/overview/version-changes-in-range";
import { listPatterns } from "@/lib/queries/patterns/list-patterns";
import { listPatternsInRange } from "@/lib/queries/patterns/patterns-in-range";
import type { QueryInput } from "@/lib/server/query-params";
import { type PatternRow, patternRows } from "../patterns/name-patterns";
import { type LinkedSpike, linkSpikesToPatterns } from "./link-spikes";
import { type OverviewFilter, parseOverviewFilter } from "./overview-filter";

export interface Overview {
  filter: OverviewFilter;
  series: FailureSeries;
  /** Spikes, most unusual first, each with its pattern when one was found. */
  spikes: LinkedSpike[];
  /** Admin changes in the range (newest first, at most CHANGES), marked on the chart. */
  changes: AdminChangeMark[];
  /** Keycloak version changes of the sources in scope during the range, marked on the chart too. */
  versions: VersionChangeMark[];
  /** The open and ongoing patterns of most impact, with names. */
  patterns: PatternRow[];
  topClients: TopClient[];
  topUsers: TopList<TopUser>;
  topIps: TopList<TopIp>;
  topErrors: TopError[];
  health: HealthFinding[];
  totals: { events: number; failures: number };
}

const TOP = 8;
const TOP_PATTERNS = 5;
const CHANGES = 200;

/**
 * Everything the overview shows, read in parallel. The chart and the client and error lists come from the
 * rollups only; users and IPs, which the rollups do not hold, from one bounded scan of the newest failures.
 */
export async function loadOverview(
  sql: postgres.Sql,
  role: Role,
  input: QueryInput,
  now: number,
): Promise<Overview> {
  const filter = parseOverviewFilter(input, now);
  const scope = { sourceId: filter.sourceId ?? undefined, realm: filter.realm ?? undefined };
  const range = { from: filter.range.from, to: filter.range.to };
  const [series, spikes, patterns, topClients, people, topErrors, health, totals, changes, active, versions] =
    await Promise.all([
      getFailureSeries(sql, {
        ...scope,
        range,
        timeZone: filter.timeZone,
        bucket: filter.bucket ?? undefined,
        compare: filter.compare,
      }),
      detectFailureSpikes(sql, scope, range, filter.timeZone),
      listPatterns(sql, { ...scope, statuses: ["open", "ongoing"], sort: "impact", limit: TOP_PATTERNS }),
      listTopClients(sql, { ...scope, range, limit: TOP }),
      listTopUsersAndIps(sql, { ...scope, range, limit: TOP }),
      listTopErrors(sql, { ...scope, range, limit: TOP }),
      listIngestionHealth(sql, scope, range, filter.timeZone),
      countRangeEvents(sql, scope, range),
      listAdminChangesInRange(sql, { ...scope, range, limit: CHANGES }),
      listPatternsInRange(sql, { ...scope, range }),
      listVersionChangesInRange(sql, { sourceId: scope.sourceId, range }),
    ]);
  const { users: topUsers, ips: topIps } = people;
  const [usernames, patternList] = await Promise.all([
    lookupUsernamesInScope(
      sql,
      topUsers.rows.map((u) => u.userId),
      scope,
    ),
    patternRows(sql, patterns, role),
  ]);
  return {
    filter,
    series,
    spikes: linkSpikesToPatterns(spikes, active),
    changes,
    versions,
    patterns: patternList,
    topClients,
    topUsers: {
      ...topUsers,
      rows: topUsers.rows.map((u) => ({
        ...u,
        username: maskPersonal(usernames.get(u.userId) ?? u.username, "username", role),
      })),
    },
    topIps: {
      ...topIps,
      rows: topIps.rows.map((ip) => ({ ...ip, ipAddress: maskPersonal(ip.ipAddress, "ip", role) ?? "" })),
    },
    topErrors,
    health,
    totals,
  };
}

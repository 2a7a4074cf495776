import type postgres from "postgres";
import { type ClientDrilldown, getClientDrilldown } from "@/lib/analytics/queries/client-drilldown";
import { enterViewerRole, requestViewerRole, showPersonal } from "@/lib/http/personal-data";
import type { QueryInput } from "@/lib/http/query-params";
import { type DenialSpike, detectDenialSpikes } from "../overview/detect-denial-spikes";
import { type DrilldownFilter, parseDrilldownFilter } from "./drilldown-filter";

export interface ClientPage {
  filter: DrilldownFilter;
  drilldown: ClientDrilldown;
  spikes: DenialSpike[];
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
  return {
    filter,
    spikes,
    drilldown: {
      ...d,
      topUsers: {
        ...d.topUsers,
        rows: d.topUsers.rows.map((u) => ({ ...u, username: showPersonal(u.username, "username") })),
      },
      recentFailures: d.recentFailures.map((f) => ({ ...f, ipAddress: showPersonal(f.ipAddress, "ip") })),
    },
  };
}

import { coverRange } from "@/lib/analytics/rollup-plan";
import { type AnalyticsFilter, coverRows, type Db, UNCLASSIFIED } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface TopClientsParams extends AnalyticsFilter {
  range: TimeRange;
  limit?: number;
}

export interface TopClient {
  /** "" for failures that carry no client (userinfo without a token client, many access-log lines). */
  clientId: string;
  failures: number;
  /** Every event of the client, successes included: failures / events is its failure rate. */
  events: number;
  /** Its failures by cause, largest first. */
  causes: { cause: string; failures: number }[];
}

/** The clients with the most failures in a range, from rollups (exact to the minute). */
export async function listTopClients(db: Db, params: TopClientsParams): Promise<TopClient[]> {
  const limit = Math.min(Math.max(1, params.limit ?? 10), 100);
  const rows = await db<{ client_id: string; cause: string; failures: number; events: number }[]>`
    select client_id, cause, sum(failures)::int as failures, sum(events)::int as events
    from (${coverRows(db, coverRange(params.range), db`client_id, cause, failures, events`, params)}) as cover
    group by client_id, cause`;
  const clients = new Map<string, TopClient>();
  for (const r of rows) {
    const client = clients.get(r.client_id) ?? { clientId: r.client_id, failures: 0, events: 0, causes: [] };
    client.failures += r.failures;
    client.events += r.events;
    if (r.failures > 0)
      client.causes.push({ cause: r.cause === "" ? UNCLASSIFIED : r.cause, failures: r.failures });
    clients.set(r.client_id, client);
  }
  return [...clients.values()]
    .filter((c) => c.failures > 0)
    .map((c) => ({
      ...c,
      // Equal counts in the cause's name order: the grouping's row order is the plan's, not stable.
      causes: c.causes.sort((a, b) => b.failures - a.failures || (a.cause < b.cause ? -1 : 1)),
    }))
    .sort((a, b) => b.failures - a.failures || (a.clientId < b.clientId ? -1 : 1))
    .slice(0, limit);
}

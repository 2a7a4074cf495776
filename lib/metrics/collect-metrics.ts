import "server-only";
import type postgres from "postgres";
import { boundClients } from "@/lib/metrics/bound-clients";
import type { MetricFamily } from "@/lib/metrics/exposition";

/**
 * The metric families, read from the database at scrape time: denials from rollup_day (never raw events, so a
 * scrape costs the same at 10 million events as at 10), stream state from sync_streams.
 */
export async function collectMetrics(
  sql: postgres.Sql,
  now: Date,
  clientLimit = 20,
): Promise<MetricFamily[]> {
  const [denials, streams] = await Promise.all([
    sql<{ realm: string; cause: string; clientId: string; denials: number }[]>`
      select realm, cause, client_id as "clientId", sum(failures)::float8 as denials
      from rollup_day where failures > 0
      group by realm, cause, client_id`,
    sql<
      {
        source: string;
        realm: string;
        kind: string;
        status: string;
        cursorTime: Date | null;
        lastSuccessAt: Date | null;
        eventsTotal: number;
        clockSkewMs: number | null;
      }[]
    >`
      select s.name as source, st.realm, st.kind, st.status, st.cursor_time as "cursorTime",
             st.last_success_at as "lastSuccessAt", st.events_total::float8 as "eventsTotal",
             st.clock_skew_ms as "clockSkewMs"
      from sync_streams st join sources s on s.id = st.source_id
      order by s.name, st.realm, st.kind`,
  ]);
  const stream = (r: (typeof streams)[number]) => ({ source: r.source, realm: r.realm, kind: r.kind });
  return [
    {
      name: "realmwatch_denials_total",
      type: "counter",
      help: `Failures by realm, root cause and client (the ${clientLimit} clients with most failures; the rest as client="other").`,
      samples: boundClients(denials, clientLimit).map((r) => ({
        labels: { realm: r.realm, cause: r.cause || "unclassified", client_id: r.clientId || "none" },
        value: r.denials,
      })),
    },
    {
      name: "realmwatch_events_ingested_total",
      type: "counter",
      help: "Events read from Keycloak per sync stream.",
      samples: streams.map((r) => ({ labels: stream(r), value: r.eventsTotal })),
    },
    {
      name: "realmwatch_ingest_lag_seconds",
      type: "gauge",
      help: "How far behind Keycloak's now the stream's cursor is: events newer than this are not read yet.",
      samples: streams
        .filter((r) => r.cursorTime)
        .map((r) => ({
          labels: stream(r),
          // The cursor is on Keycloak's clock.
          value: Math.max(
            0,
            (now.getTime() + (r.clockSkewMs ?? 0) - (r.cursorTime as Date).getTime()) / 1000,
          ),
        })),
    },
    {
      name: "realmwatch_keycloak_clock_skew_seconds",
      type: "gauge",
      help: "Keycloak's clock minus realmwatch's, from the Date header of its answers on the stream's last sync.",
      samples: streams
        .filter((r) => r.clockSkewMs !== null)
        .map((r) => ({ labels: stream(r), value: (r.clockSkewMs as number) / 1000 })),
    },
    {
      name: "realmwatch_sync_stream_error",
      type: "gauge",
      help: "1 when the stream's last sync failed (see the Sources page for the message), else 0.",
      samples: streams.map((r) => ({ labels: stream(r), value: r.status === "error" ? 1 : 0 })),
    },
    {
      name: "realmwatch_sync_last_success_timestamp_seconds",
      type: "gauge",
      help: "When the stream last synced without error (Unix time).",
      samples: streams
        .filter((r) => r.lastSuccessAt)
        .map((r) => ({ labels: stream(r), value: (r.lastSuccessAt as Date).getTime() / 1000 })),
    },
  ];
}

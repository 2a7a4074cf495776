import type postgres from "postgres";
import { RECOMMENDED_EVENT_TYPES } from "@/lib/keycloak/events-config";
import { formatTime } from "@/lib/time/format";
import { formatLag } from "@/lib/time/format-lag";
import type { TimeRange } from "@/lib/time/time-buckets";

export type HealthSeverity = "error" | "warning";

export interface HealthFinding {
  severity: HealthSeverity;
  /** Stable, for tests and links: "events-not-saved", "types-not-saved", "gap", "sync-lag", "source-failing", ... */
  kind: string;
  sourceName: string;
  realm: string | null;
  message: string;
}

/** A stream whose last successful sync is older than this is lagging (the poller runs every 30 s by default). */
export const SYNC_LAG_WARNING_SEC = 15 * 60;

/**
 * What may be missing from the charts, in words: realms that do not save events or the 403-relevant event
 * types, events configurations that could not be read, failing sources and streams, sync lag, and recorded
 * gaps where events expired before they were read. From sources, realms, sync_streams and event_gaps.
 */
export async function listIngestionHealth(
  sql: postgres.Sql,
  scope: { sourceId?: string | null; realm?: string | null },
  range: TimeRange,
  timeZone: string,
): Promise<HealthFinding[]> {
  const source = scope.sourceId ? sql`and s.id = ${scope.sourceId}::uuid` : sql``;
  const [sources, realms, streams, gaps] = await Promise.all([
    sql<{ name: string; status: string; status_message: string | null; enabled: boolean }[]>`
      select s.name, s.status, s.status_message, s.enabled from sources s where s.kind = 'api' ${source}`,
    sql<
      {
        source_name: string;
        realm: string;
        events_enabled: boolean | null;
        enabled_event_types: string[];
        config_error: string | null;
      }[]
    >`
      select s.name as source_name, r.name as realm, r.events_enabled, r.enabled_event_types, r.config_error
      from realms r join sources s on s.id = r.source_id
      where true ${source} ${scope.realm ? sql`and r.name = ${scope.realm}` : sql``}
      order by r.name`,
    sql<
      {
        source_name: string;
        realm: string;
        kind: string;
        status: string;
        status_message: string | null;
        lag: number | null;
      }[]
    >`
      select s.name as source_name, t.realm, t.kind, t.status, t.status_message,
             extract(epoch from now() - t.last_success_at)::float8 as lag
      from sync_streams t join sources s on s.id = t.source_id
      where s.enabled ${source} ${scope.realm ? sql`and t.realm = ${scope.realm}` : sql``}
      order by t.realm, t.kind`,
    sql<
      { source_name: string; realm: string; kind: string; from_time: Date; to_time: Date; reason: string }[]
    >`
      select s.name as source_name, g.realm, g.kind, g.from_time, g.to_time, g.reason
      from event_gaps g join sources s on s.id = g.source_id
      where g.to_time > ${new Date(range.from)} and g.from_time < ${new Date(range.to)}
        ${source} ${scope.realm ? sql`and g.realm = ${scope.realm}` : sql``}
      order by g.from_time desc
      limit 20`,
  ]);

  const findings: HealthFinding[] = [];
  for (const s of sources) {
    if (s.enabled && s.status === "error") {
      findings.push({
        severity: "error",
        kind: "source-failing",
        sourceName: s.name,
        realm: null,
        message: `Source "${s.name}" is failing: ${s.status_message ?? "see the Sources page"}`,
      });
    }
  }
  for (const r of realms) {
    if (r.config_error) {
      findings.push({
        severity: "warning",
        kind: "config-unreadable",
        sourceName: r.source_name,
        realm: r.realm,
        message: `The events configuration of realm "${r.realm}" could not be read: ${r.config_error}`,
      });
      continue;
    }
    if (r.events_enabled === false) {
      findings.push({
        severity: "error",
        kind: "events-not-saved",
        sourceName: r.source_name,
        realm: r.realm,
        message: `Realm "${r.realm}" does not save user events (Realm settings > Events > User events settings > Save events): only log imports can show its failures.`,
      });
      continue;
    }
    const enabled = new Set(r.enabled_event_types);
    const missing = RECOMMENDED_EVENT_TYPES.filter((t) => !enabled.has(t));
    if (r.events_enabled && missing.length > 0) {
      findings.push({
        severity: "warning",
        kind: "types-not-saved",
        sourceName: r.source_name,
        realm: r.realm,
        message: `Realm "${r.realm}" does not save ${missing.join(", ")}: userinfo, introspection, refresh and permission denials leave no event. Enable them on the Sources page.`,
      });
    }
  }
  for (const t of streams) {
    const what = `${t.kind === "admin" ? "admin" : "user"} events of realm "${t.realm}"`;
    if (t.status === "error") {
      findings.push({
        severity: "error",
        kind: "stream-failing",
        sourceName: t.source_name,
        realm: t.realm,
        message: `Syncing ${what} fails: ${t.status_message ?? "see the Sources page"}`,
      });
    } else if (t.lag !== null && t.lag > SYNC_LAG_WARNING_SEC) {
      findings.push({
        severity: "warning",
        kind: "sync-lag",
        sourceName: t.source_name,
        realm: t.realm,
        message: `The ${what} were last synced ${formatLag(t.lag)} ago: recent failures may be missing.`,
      });
    }
  }
  for (const g of gaps) {
    findings.push({
      severity: "warning",
      kind: "gap",
      sourceName: g.source_name,
      realm: g.realm,
      message: `No ${g.kind} events of realm "${g.realm}" from ${formatTime(g.from_time.getTime(), timeZone)} to ${formatTime(g.to_time.getTime(), timeZone)}: ${g.reason}.`,
    });
  }
  return findings;
}

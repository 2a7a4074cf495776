import type postgres from "postgres";
import { assessEventsConfig, type EventsHealth } from "@/lib/keycloak/events-config";

export interface StreamStatus {
  realm: string;
  /** "user" or "admin" events. */
  kind: string;
  mode: string | null;
  status: string;
  message: string | null;
  /** Seconds since the last successful sync; null before the first. */
  lagSec: number | null;
  lastSuccessAt: number | null;
  lastEventTime: number | null;
  eventsTotal: number;
  /** Keycloak's clock minus realmwatch's on the last sync (ms); null when unknown. */
  clockSkewMs: number | null;
}

export interface RealmHealth {
  realm: string;
  checkedAt: number | null;
  /** Why the events configuration could not be read (e.g. the view-events role is missing). */
  error: string | null;
  health: EventsHealth | null;
  enabledEventTypes: string[];
}

/** A source as the browser sees it: never the secret, only whether one is set. */
export interface SourceStatus {
  id: string;
  name: string;
  kind: string;
  serverUrl: string | null;
  authRealm: string;
  clientId: string | null;
  secretSet: boolean;
  realms: string[];
  syncMode: string;
  detectedVersion: string | null;
  enabled: boolean;
  status: string;
  statusMessage: string | null;
  updatedAt: number;
  streams: StreamStatus[];
  realmHealth: RealmHealth[];
}

export async function listSourceStatus(sql: postgres.Sql, onlyId?: string): Promise<SourceStatus[]> {
  const only = onlyId ? sql`where id = ${onlyId}::uuid` : sql``;
  const [sources, streams, realms] = await Promise.all([
    sql<
      {
        id: string;
        name: string;
        kind: string;
        server_url: string | null;
        auth_realm: string;
        client_id: string | null;
        secret_set: boolean;
        realms: string[];
        sync_mode: string;
        detected_version: string | null;
        enabled: boolean;
        status: string;
        status_message: string | null;
        updated_at: Date;
      }[]
    >`select id, name, kind, server_url, auth_realm, client_id, secret_ciphertext is not null as secret_set, realms,
             sync_mode, detected_version, enabled, status, status_message, updated_at
      from sources ${only} order by name`,
    sql<
      {
        source_id: string;
        realm: string;
        kind: string;
        mode: string | null;
        status: string;
        status_message: string | null;
        lag: number | null;
        last_success_at: Date | null;
        last_event_time: Date | null;
        events_total: number;
        clock_skew_ms: number | null;
      }[]
    >`select source_id, realm, kind, mode, status, status_message,
             extract(epoch from now() - last_success_at)::float8 as lag, last_success_at, last_event_time, events_total,
             clock_skew_ms
      from sync_streams order by realm, kind`,
    sql<
      {
        source_id: string;
        name: string;
        events_enabled: boolean | null;
        admin_events_enabled: boolean | null;
        admin_events_details: boolean | null;
        enabled_event_types: string[];
        events_expiration_sec: number | null;
        events_listeners: string[];
        config_checked_at: Date | null;
        config_error: string | null;
      }[]
    >`select source_id, name, events_enabled, admin_events_enabled, admin_events_details, enabled_event_types,
             events_expiration_sec, events_listeners, config_checked_at, config_error
      from realms order by name`,
  ]);
  return sources.map((s) => {
    const own = streams.filter((t) => t.source_id === s.id);
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      serverUrl: s.server_url,
      authRealm: s.auth_realm,
      clientId: s.client_id,
      secretSet: s.secret_set,
      realms: s.realms,
      syncMode: s.sync_mode,
      detectedVersion: s.detected_version,
      enabled: s.enabled,
      status: s.status,
      statusMessage: s.status_message,
      updatedAt: s.updated_at.getTime(),
      streams: own.map((t) => ({
        realm: t.realm,
        kind: t.kind,
        mode: t.mode,
        status: t.status,
        message: t.status_message,
        lagSec: t.lag,
        lastSuccessAt: t.last_success_at?.getTime() ?? null,
        lastEventTime: t.last_event_time?.getTime() ?? null,
        eventsTotal: Number(t.events_total),
        clockSkewMs: t.clock_skew_ms,
      })),
      realmHealth: realms
        .filter((r) => r.source_id === s.id)
        .map((r) => {
          const lags = own.filter((t) => t.realm === r.name && t.lag !== null).map((t) => t.lag!);
          const configRead =
            r.config_checked_at !== null && r.config_error === null && r.events_enabled !== null;
          return {
            realm: r.name,
            checkedAt: r.config_checked_at?.getTime() ?? null,
            error: r.config_error,
            enabledEventTypes: r.enabled_event_types,
            health: configRead
              ? assessEventsConfig(
                  {
                    eventsEnabled: r.events_enabled ?? false,
                    adminEventsEnabled: r.admin_events_enabled ?? false,
                    adminEventsDetailsEnabled: r.admin_events_details ?? false,
                    enabledEventTypes: r.enabled_event_types,
                    eventsExpiration: r.events_expiration_sec,
                    eventsListeners: r.events_listeners,
                  },
                  lags.length > 0 ? Math.max(...lags) : null,
                )
              : null,
          };
        }),
    };
  });
}

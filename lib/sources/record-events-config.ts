import type postgres from "postgres";
import type { EventsConfig } from "@/lib/keycloak/events-config";

/** Keeps the events configuration just read from Keycloak as the realm's snapshot (what the sync also records). */
export async function recordEventsConfig(
  sql: postgres.Sql,
  sourceId: string,
  realm: string,
  config: EventsConfig,
): Promise<void> {
  await sql`
    insert into realms (source_id, name, events_enabled, admin_events_enabled, admin_events_details,
                        enabled_event_types, events_expiration_sec, events_listeners, config_checked_at, config_error)
    values (${sourceId}::uuid, ${realm}, ${config.eventsEnabled ?? false}, ${config.adminEventsEnabled ?? false},
            ${config.adminEventsDetailsEnabled ?? false}, ${config.enabledEventTypes ?? []}::text[],
            ${config.eventsExpiration ?? null}, ${config.eventsListeners ?? []}::text[], now(), null)
    on conflict (source_id, name) do update set
      events_enabled = excluded.events_enabled, admin_events_enabled = excluded.admin_events_enabled,
      admin_events_details = excluded.admin_events_details, enabled_event_types = excluded.enabled_event_types,
      events_expiration_sec = excluded.events_expiration_sec, events_listeners = excluded.events_listeners,
      config_checked_at = now(), config_error = null`;
}

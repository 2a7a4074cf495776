import type { RealmEventsConfig } from "@/lib/keycloak/representations";
import type { KeycloakSession } from "@/lib/keycloak/session";

/**
 * The event types that matter for 403 analytics but are not saved by default (EventType.saveByDefault=false):
 * without them in enabledEventTypes, userinfo, introspection, refresh and UMA denials leave no stored event.
 */
export const RECOMMENDED_EVENT_TYPES = [
  "USER_INFO_REQUEST_ERROR",
  "INTROSPECT_TOKEN_ERROR",
  "REFRESH_TOKEN_ERROR",
  "PERMISSION_TOKEN_ERROR",
] as const;

/** A realm's events configuration (RealmEventsConfigRepresentation). */
export type EventsConfig = RealmEventsConfig;

export interface EventsHealth {
  eventsEnabled: boolean;
  adminEventsEnabled: boolean;
  missingTypes: string[];
  /** Seconds; null = never expire. */
  eventsExpirationSec: number | null;
  findings: string[];
}

export function assessEventsConfig(config: EventsConfig, syncLagSec: number | null): EventsHealth {
  const enabled = new Set(config.enabledEventTypes ?? []);
  const missingTypes = RECOMMENDED_EVENT_TYPES.filter((t) => !enabled.has(t));
  const exp = config.eventsExpiration && config.eventsExpiration > 0 ? config.eventsExpiration : null;
  const findings: string[] = [];
  if (!config.eventsEnabled)
    findings.push(
      "User events are not saved (Realm settings > Events > User events settings > Save events is off): only log lines can show failures.",
    );
  if (!config.adminEventsEnabled)
    findings.push("Admin events are not saved: spikes cannot be correlated with configuration changes.");
  if (missingTypes.length > 0)
    findings.push(`403-relevant event types not saved: ${missingTypes.join(", ")}.`);
  if (exp !== null && syncLagSec !== null && exp < syncLagSec) {
    findings.push(
      `Events expire after ${exp} s, sooner than the sync lag of ${Math.round(syncLagSec)} s: events are lost before they are read.`,
    );
  }
  return {
    eventsEnabled: Boolean(config.eventsEnabled),
    adminEventsEnabled: Boolean(config.adminEventsEnabled),
    missingTypes,
    eventsExpirationSec: exp,
    findings,
  };
}

/**
 * Adds the recommended types to what the realm saves. Keycloak's PUT writes eventsEnabled always (omitting it
 * turns events off) and sets a missing expiration to 0, so the whole object is read, changed and written back.
 * Needs manage-events. Returns the types it added.
 */
export async function enableRecommendedEventTypes(
  session: KeycloakSession,
  realm: string,
): Promise<string[]> {
  const config = await session.getEventsConfig(realm);
  const current = config.enabledEventTypes ?? [];
  const added = RECOMMENDED_EVENT_TYPES.filter((t) => !current.includes(t));
  if (added.length === 0) return [];
  const next: EventsConfig = { ...config, enabledEventTypes: [...current, ...added] };
  await session.updateEventsConfig(realm, next);
  return added;
}

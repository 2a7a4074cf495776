import { KeycloakError } from "@/lib/keycloak/keycloak-error";
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

/** The fields of RealmEventsConfigRepresentation a realmwatch action may change. */
export type EventsConfigChange = Pick<
  EventsConfig,
  | "eventsEnabled"
  | "eventsExpiration"
  | "enabledEventTypes"
  | "adminEventsEnabled"
  | "adminEventsDetailsEnabled"
>;

/**
 * The body of a PUT events/config that changes `change` and nothing else. RealmManager.updateRealmEventsConfig
 * (called by RealmAdminResource.updateRealmEventsConfig) always replaces eventsEnabled (a primitive boolean:
 * omitted means false) and eventsExpiration (omitted means 0), so both go with their current values; every
 * other field is written only when present, so eventsListeners stays out (no re-validation of listeners that
 * may no longer be installed, which answers 400 "Unknown event listener"), and enabledEventTypes goes only when
 * the change names it (GET fills it with the saved-by-default list when the realm stores none; writing that
 * list back would pin it).
 */
export function eventsConfigBody(current: EventsConfig, change: EventsConfigChange): EventsConfig {
  const body: EventsConfig = {
    eventsEnabled: change.eventsEnabled ?? current.eventsEnabled === true,
  };
  const expiration = "eventsExpiration" in change ? change.eventsExpiration : current.eventsExpiration;
  if (expiration !== undefined && expiration !== null) body.eventsExpiration = expiration;
  if (change.enabledEventTypes !== undefined) body.enabledEventTypes = change.enabledEventTypes;
  if (change.adminEventsEnabled !== undefined) body.adminEventsEnabled = change.adminEventsEnabled;
  if (change.adminEventsDetailsEnabled !== undefined)
    body.adminEventsDetailsEnabled = change.adminEventsDetailsEnabled;
  return body;
}

/**
 * Writes one change to a realm's events configuration (needs manage-events), touching no other field. When
 * Keycloak refuses with a 4xx, the error carries Keycloak's own sentence.
 */
export async function changeEventsConfig(
  session: KeycloakSession,
  realm: string,
  current: EventsConfig,
  change: EventsConfigChange,
): Promise<void> {
  try {
    await session.updateEventsConfig(realm, eventsConfigBody(current, change));
  } catch (err) {
    const said = err instanceof KeycloakError ? err.details?.keycloakMessage : undefined;
    if (err instanceof KeycloakError && typeof said === "string" && err.keycloakStatus !== null) {
      throw new KeycloakError(
        "keycloak_error",
        `Keycloak refused to change the events configuration of realm "${realm}" (${err.keycloakStatus}): ${said}. Nothing was changed.`,
        { call: err.call, keycloakStatus: err.keycloakStatus, role: err.role },
        { status: err.keycloakStatus, keycloakMessage: said },
      );
    }
    throw err;
  }
}

/**
 * Adds the recommended types to what the realm saves, and changes nothing else. Keycloak stores the list
 * explicitly from then on (types that later versions save by default are not added by themselves). Needs
 * manage-events. Returns the types it added; nothing is written when none is missing.
 */
export async function enableRecommendedEventTypes(
  session: KeycloakSession,
  realm: string,
): Promise<string[]> {
  const config = await session.getEventsConfig(realm);
  const current = config.enabledEventTypes ?? [];
  const added = RECOMMENDED_EVENT_TYPES.filter((t) => !current.includes(t));
  if (added.length === 0) return [];
  await changeEventsConfig(session, realm, config, { enabledEventTypes: [...current, ...added] });
  return added;
}

import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import type { DemoState } from "./demo-state";
import {
  adminEventLevel,
  formatAdminEventLine,
  formatUserEventLine,
  logsAt,
  userEventLevel,
} from "./event-log";
import { isEventTypeSaved } from "./keycloak-vocabulary";
import type { RealmModel } from "./realm-model";

export type NewUserEvent = Omit<KeycloakUserEvent, "realmId" | "id" | "realmName">;
export type NewAdminEvent = Omit<KeycloakAdminEvent, "realmId" | "id">;

/**
 * EventBuilder#send: every listener (here the jboss-logging log) receives the event; the store keeps it
 * only when the realm saves events and the type is enabled. Returns how many were stored.
 * `successCommitLagMs`: errors are stored at once, successes when their transaction commits, so a
 * success becomes visible up to that long after its `time`.
 */
export function recordUserEvents(
  state: DemoState,
  realm: RealmModel,
  events: readonly NewUserEvent[],
  opts?: { successCommitLagMs?: number },
): number {
  return recordEventsInOrder(
    state,
    events.map((event) => ({ realm, event })),
    opts,
  );
}

/** recordUserEvents over several realms at once, logging in the given order (one chronological log). */
export function recordEventsInOrder(
  state: DemoState,
  items: ReadonlyArray<{ realm: RealmModel; event: NewUserEvent }>,
  opts?: { successCommitLagMs?: number },
): number {
  const stored = new Map<RealmModel, KeycloakUserEvent[]>();
  const lag = opts?.successCommitLagMs ?? 0;
  let count = 0;
  for (const { realm, event: e } of items) {
    const full: KeycloakUserEvent = { id: state.prng.uuid(), ...e, realmId: realm.id };
    // The thread number is drawn for every event, logged or not, so the seed gives the same events either way.
    const thread = 1 + state.prng.int(40);
    if (logsAt(state.eventsLogLevel, userEventLevel(full)))
      state.eventLog.push(formatUserEventLine(full, realm.name, thread));
    const cfg = realm.events;
    if (!cfg.eventsEnabled || !isEventTypeSaved(e.type, cfg.enabledEventTypes)) continue;
    count++;
    if (lag > 0 && !e.type.endsWith("_ERROR")) {
      state.store.addUserEvents(realm.name, [full], { visibleAt: e.time + 1 + state.prng.int(lag) });
    } else {
      let list = stored.get(realm);
      if (!list) {
        list = [];
        stored.set(realm, list);
      }
      list.push(full);
    }
  }
  for (const [realm, events] of stored) state.store.addUserEvents(realm.name, events);
  return count;
}

/**
 * AdminEventBuilder#send: stored when admin events are enabled (the caller passes the flag in force,
 * which for an events/config PUT is "enabled before or after"), representation only with details on.
 */
export function recordAdminEvent(
  state: DemoState,
  realm: RealmModel,
  event: NewAdminEvent,
  opts: { enabled?: boolean; includeRepresentation?: boolean } = {},
): boolean {
  const includeRepresentation = opts.includeRepresentation ?? realm.events.adminEventsDetailsEnabled;
  const full: KeycloakAdminEvent = {
    id: state.prng.uuid(),
    ...event,
    realmId: realm.id,
    representation: includeRepresentation ? (event.representation ?? null) : null,
  };
  const authRealm = [...state.realms.values()].find((r) => r.id === event.authDetails?.realmId);
  const thread = 1 + state.prng.int(40);
  if (logsAt(state.eventsLogLevel, adminEventLevel(full)))
    state.eventLog.push(formatAdminEventLine(full, authRealm?.name ?? realm.name, thread, false));
  if (!(opts.enabled ?? realm.events.adminEventsEnabled)) return false;
  state.store.addAdminEvents(realm.name, [full]);
  return true;
}

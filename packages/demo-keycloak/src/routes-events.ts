import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { type AdminHandler, adminAuthDetails, MANAGE_EVENTS, requireRole, VIEW_EVENTS } from "./admin-auth";
import type { DemoState } from "./demo-state";
import { adminEventsJson, userEventsJson } from "./event-json";
import { parseAdminEventQuery, parsePaging, parseUserEventQuery } from "./event-query";
import type { EventKind } from "./event-store";
import { parseEventsConfigBody } from "./events-config-body";
import { errorReply, json, jsonText, noContent } from "./http-io";
import { httpError, isHttpError } from "./keycloak-errors";
import { GLOBAL_EVENT_LISTENERS, REALM_EVENT_LISTENERS, SAVE_BY_DEFAULT_TYPES } from "./keycloak-vocabulary";
import { createPrng } from "./prng";
import type { RealmModel } from "./realm-model";
import { recordAdminEvent } from "./record-events";
import { selectRows } from "./select-rows";

/**
 * GET events / admin-events. Keycloak's order of checks: `first`/`max` binding (404), the caller's role
 * (403), enum values (500), dateFrom, dateTo, direction (400).
 */
function listEvents(kind: EventKind): AdminHandler {
  return (state, req, caller, realm) => {
    const paging = parsePaging(req.query);
    if (isHttpError(paging)) return errorReply(paging);
    const denied = requireRole(state, caller, realm, VIEW_EVENTS);
    if (denied) return errorReply(denied);
    const ctx = { mode: state.mode, serverTimeZone: state.serverTimeZone };
    const spec =
      kind === "user"
        ? parseUserEventQuery(req.query, paging, ctx)
        : parseAdminEventQuery(req.query, paging, ctx);
    if (isHttpError(spec)) return errorReply(spec);
    const columns = state.store.columns(realm.name, kind);
    const tieRng = state.faults.unstableTies ? createPrng(state.faults.rng.int(2 ** 31)) : null;
    const rows = selectRows(columns, spec, tieRng);
    const withId = state.mode === "modern";
    const body =
      kind === "user"
        ? userEventsJson(columns, rows, realm.id, withId)
        : adminEventsJson(columns, rows, realm.id, withId);
    const times = rows.map((r) => columns.time[r]!);
    insertWhilePaging(state, realm, kind, times);
    return jsonText(body);
  };
}

/** The `insertWhilePaging` fault: new rows land between two page requests, half of them inside the page just served. */
function insertWhilePaging(state: DemoState, realm: RealmModel, kind: EventKind, pageTimes: number[]): void {
  const plan = state.faults.pagingInserts;
  if (!plan || plan.remaining <= 0 || plan.kind !== kind || (plan.realm && plan.realm !== realm.name)) return;
  if (pageTimes.length === 0) return;
  plan.remaining--;
  const lo = Math.min(...pageTimes);
  const hi = Math.max(...pageTimes);
  const rng = state.faults.rng;
  const events: KeycloakUserEvent[] = [];
  for (let i = 0; i < plan.count; i++) {
    const time = i % 2 === 0 ? lo + rng.int(hi - lo + 1) : state.now();
    const e: KeycloakUserEvent = {
      id: rng.uuid(),
      time,
      type: "LOGIN",
      realmId: realm.id,
      clientId: "paging-insert",
      userId: rng.uuid(),
      sessionId: rng.uuid(),
      ipAddress: "10.99.0.1",
      details: { auth_method: "openid-connect", username: `paging-insert-${i}` },
    };
    events.push(e);
  }
  if (kind === "user") {
    state.store.addUserEvents(realm.name, events);
    state.faults.insertedWhilePaging.push(...events);
  } else {
    state.store.addAdminEvents(
      realm.name,
      events.map((e) => ({
        id: e.id,
        time: e.time,
        operationType: "UPDATE",
        resourceType: "USER",
        resourcePath: `users/${e.userId}`,
        authDetails: { realmId: realm.id, clientId: null, userId: null, ipAddress: "10.99.0.1" },
      })),
    );
  }
}

function clearEvents(kind: EventKind): AdminHandler {
  return (state, _req, caller, realm) => {
    const denied = requireRole(state, caller, realm, MANAGE_EVENTS);
    if (denied) return errorReply(denied);
    state.store.clear(realm.name, kind);
    return noContent();
  };
}

/** RealmEventsConfigRepresentation; eventsExpiration is left out exactly when it is 0. */
export function eventsConfigRepresentation(realm: RealmModel) {
  const e = realm.events;
  return {
    eventsEnabled: e.eventsEnabled,
    ...(e.eventsExpiration !== 0 ? { eventsExpiration: e.eventsExpiration } : {}),
    eventsListeners: e.eventsListeners,
    enabledEventTypes: e.enabledEventTypes.length > 0 ? e.enabledEventTypes : SAVE_BY_DEFAULT_TYPES,
    adminEventsEnabled: e.adminEventsEnabled,
    adminEventsDetailsEnabled: e.adminEventsDetailsEnabled,
  };
}

const getEventsConfig: AdminHandler = (state, _req, caller, realm) => {
  const denied = requireRole(state, caller, realm, VIEW_EVENTS);
  return denied ? errorReply(denied) : json(eventsConfigRepresentation(realm));
};

/**
 * RealmManager#updateRealmEventsConfig: eventsEnabled (a primitive) and eventsExpiration are always
 * written, so leaving them out disables events and clears the expiry; the other fields change only
 * when present. The PUT records an UPDATE REALM admin event when admin events are on before or after.
 */
const putEventsConfig: AdminHandler = (state, req, caller, realm) => {
  const denied = requireRole(state, caller, realm, MANAGE_EVENTS);
  if (denied) return errorReply(denied);
  const body = parseEventsConfigBody(req.body.toString("utf8"), req.headers["content-type"]);
  if (isHttpError(body)) return errorReply(body);
  for (const listener of body.eventsListeners ?? []) {
    if (GLOBAL_EVENT_LISTENERS.has(listener)) {
      return errorReply(httpError(400, "Global event listeners not allowed in realm specific configuration"));
    }
    if (!REALM_EVENT_LISTENERS.has(listener)) return errorReply(httpError(400, "Unknown event listener"));
  }
  const e = realm.events;
  const adminBefore = e.adminEventsEnabled;
  e.eventsEnabled = body.eventsEnabled ?? false;
  e.eventsExpiration = body.eventsExpiration ?? 0;
  if (body.eventsListeners) e.eventsListeners = body.eventsListeners;
  if (body.enabledEventTypes) e.enabledEventTypes = body.enabledEventTypes;
  if (body.adminEventsEnabled !== null) e.adminEventsEnabled = body.adminEventsEnabled;
  if (body.adminEventsDetailsEnabled !== null) e.adminEventsDetailsEnabled = body.adminEventsDetailsEnabled;
  recordAdminEvent(
    state,
    realm,
    {
      time: state.now(),
      authDetails: adminAuthDetails(caller, req),
      operationType: "UPDATE",
      resourceType: "REALM",
      resourcePath: "events/config",
      representation: req.body.toString("utf8"),
    },
    { enabled: adminBefore || e.adminEventsEnabled, includeRepresentation: e.adminEventsDetailsEnabled },
  );
  return noContent();
};

export const EVENT_ROUTES: ReadonlyArray<{ method: string; path: string; handler: AdminHandler }> = [
  { method: "GET", path: "/admin/realms/:realm/events", handler: listEvents("user") },
  { method: "DELETE", path: "/admin/realms/:realm/events", handler: clearEvents("user") },
  { method: "GET", path: "/admin/realms/:realm/admin-events", handler: listEvents("admin") },
  { method: "DELETE", path: "/admin/realms/:realm/admin-events", handler: clearEvents("admin") },
  { method: "GET", path: "/admin/realms/:realm/events/config", handler: getEventsConfig },
  { method: "PUT", path: "/admin/realms/:realm/events/config", handler: putEventsConfig },
];

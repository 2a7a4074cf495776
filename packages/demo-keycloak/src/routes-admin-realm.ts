import {
  type AdminHandler,
  adminAuthDetails,
  adminRoles,
  authenticateAdmin,
  isAnyAdmin,
  MANAGE_REALM,
  requireRole,
  VIEW_REALM,
} from "./admin-auth";
import type { DemoState } from "./demo-state";
import { errorReply, json, noContent, type Reply, type Req } from "./http-io";
import { FORBIDDEN, httpError, isHttpError } from "./keycloak-errors";
import { realmRepresentation } from "./realm-representation";
import { recordAdminEvent } from "./record-events";
import { versionAtLeast } from "./server-version";

/** GET /admin/realms: full representations where the caller may view the realm, the name where it holds any admin role. */
export function listRealms(state: DemoState, req: Req): Reply {
  const caller = authenticateAdmin(state, req);
  if (isHttpError(caller)) return errorReply(caller);
  const out: unknown[] = [];
  for (const realm of state.realms.values()) {
    const roles = adminRoles(caller, realm);
    if (VIEW_REALM.some((r) => roles.has(r))) out.push(realmRepresentation(realm));
    else if (roles.size > 0) out.push({ id: realm.id, realm: realm.name });
  }
  return json(out);
}

/**
 * GET /admin/serverinfo. Any admin role is needed (403 otherwise: AdminRoot#getServerInfo). Which part of
 * `systemInfo` the caller sees depends on the version (ServerInfoAdminResource#getInfo; its rules are pinned by
 * Keycloak's ServerInfoPermissionsTest):
 * - before 26.4 (and 26.2.10), everything, to any admin;
 * - since 26.4.0 (keycloak PR #42859, backported to 26.2.10 as #42943), only to administrators of the master
 *   realm: an account of any other realm gets no systemInfo at all, so no version;
 * - since 26.6 (PR #45903), an account of another realm that can manage its realm (manage-realm, or
 *   realm-admin) gets `systemInfo` with the version alone.
 */
export function serverInfo(state: DemoState, req: Req): Reply {
  const caller = authenticateAdmin(state, req);
  if (isHttpError(caller)) return errorReply(caller);
  if (!isAnyAdmin(state, caller)) return errorReply(FORBIDDEN);
  const now = state.now();
  const uptime = Math.floor((now - state.startedAt) / 1000);
  const full = {
    version: state.version,
    serverTime: new Date(now).toUTCString(),
    uptime: `${Math.floor(uptime / 3600)} hours, ${Math.floor((uptime % 3600) / 60)} minutes, ${uptime % 60} seconds`,
    uptimeMillis: now - state.startedAt,
    javaVersion: "21.0.8",
    javaVendor: "Red Hat, Inc.",
    javaVm: "OpenJDK 64-Bit Server VM",
    osName: "Linux",
    userTimezone: state.serverTimeZone,
    userLocale: "en_US",
  };
  const administrationRealm = caller.tokenRealm.name === "master";
  const manageOwnRealm = adminRoles(caller, caller.tokenRealm).has("manage-realm");
  const restricted =
    versionAtLeast(state.version, 26, 4) ||
    (versionAtLeast(state.version, 26, 2, 10) && !versionAtLeast(state.version, 26, 3));
  const systemInfo =
    !restricted || administrationRealm
      ? full
      : versionAtLeast(state.version, 26, 6) && manageOwnRealm
        ? { version: state.version }
        : undefined;
  return json({
    ...(systemInfo ? { systemInfo } : {}),
    providers: {
      eventsListener: {
        providers: {
          "jboss-logging": {},
          email: {},
          "micrometer-user-event-metrics": {},
          "workflow-event-listener": {},
        },
      },
      eventsStore: { providers: { jpa: {} } },
    },
  });
}

/** GET /admin/realms/{realm}: the full representation with view-realm, only the name with another admin role. */
export const getRealm: AdminHandler = (_state, _req, caller, realm) => {
  const roles = adminRoles(caller, realm);
  if (VIEW_REALM.some((r) => roles.has(r))) return json(realmRepresentation(realm));
  if (roles.size > 0) return json({ realm: realm.name });
  return errorReply(FORBIDDEN);
};

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/**
 * PUT /admin/realms/{realm}, for the settings the demo models. Every present field is merged (unlike
 * events/config). The admin event is UPDATE REALM with no resourcePath at all, as Keycloak records it.
 */
export const putRealm: AdminHandler = (state, req, caller, realm) => {
  const denied = requireRole(state, caller, realm, MANAGE_REALM);
  if (denied) return errorReply(denied);
  let rep: Record<string, unknown>;
  try {
    const parsed = JSON.parse(req.body.toString("utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    rep = parsed as Record<string, unknown>;
  } catch {
    return errorReply(httpError(400, "invalid_request", "Cannot parse the JSON"));
  }
  if (typeof rep.displayName === "string") realm.displayName = rep.displayName;
  if (bool(rep.enabled) !== undefined) realm.enabled = bool(rep.enabled)!;
  if (rep.sslRequired === "none" || rep.sslRequired === "external" || rep.sslRequired === "all")
    realm.sslRequired = rep.sslRequired;
  for (const key of [
    "accessTokenLifespan",
    "ssoSessionIdleTimeout",
    "ssoSessionMaxLifespan",
    "failureFactor",
    "waitIncrementSeconds",
    "maxFailureWaitSeconds",
  ] as const) {
    const v = num(rep[key]);
    if (v !== undefined) realm[key] = v;
  }
  if (bool(rep.bruteForceProtected) !== undefined) realm.bruteForceProtected = bool(rep.bruteForceProtected)!;
  if (bool(rep.permanentLockout) !== undefined) realm.permanentLockout = bool(rep.permanentLockout)!;
  const e = realm.events;
  if (bool(rep.eventsEnabled) !== undefined) e.eventsEnabled = bool(rep.eventsEnabled)!;
  if (num(rep.eventsExpiration) !== undefined) e.eventsExpiration = num(rep.eventsExpiration)!;
  if (Array.isArray(rep.enabledEventTypes)) e.enabledEventTypes = rep.enabledEventTypes.map(String);
  if (Array.isArray(rep.eventsListeners)) e.eventsListeners = rep.eventsListeners.map(String);
  if (bool(rep.adminEventsEnabled) !== undefined) e.adminEventsEnabled = bool(rep.adminEventsEnabled)!;
  if (bool(rep.adminEventsDetailsEnabled) !== undefined)
    e.adminEventsDetailsEnabled = bool(rep.adminEventsDetailsEnabled)!;
  if (typeof rep.attributes === "object" && rep.attributes !== null) {
    for (const [k, v] of Object.entries(rep.attributes as Record<string, unknown>)) {
      if (typeof v === "string") realm.attributes[k] = v;
    }
  }
  recordAdminEvent(state, realm, {
    time: state.now(),
    authDetails: adminAuthDetails(caller, req),
    operationType: "UPDATE",
    resourceType: "REALM",
    resourcePath: null,
    representation: JSON.stringify(rep),
  });
  return noContent();
};

import type { RealmModel } from "./realm-model";

/** RealmRepresentation as GET /admin/realms/{realm} returns it to a caller with view-realm (a subset). */
export function realmRepresentation(realm: RealmModel) {
  const e = realm.events;
  return {
    id: realm.id,
    realm: realm.name,
    displayName: realm.displayName,
    notBefore: 0,
    defaultSignatureAlgorithm: "RS256",
    revokeRefreshToken: false,
    refreshTokenMaxReuse: 0,
    accessTokenLifespan: realm.accessTokenLifespan,
    accessTokenLifespanForImplicitFlow: 900,
    ssoSessionIdleTimeout: realm.ssoSessionIdleTimeout,
    ssoSessionMaxLifespan: realm.ssoSessionMaxLifespan,
    offlineSessionIdleTimeout: 2592000,
    accessCodeLifespan: 60,
    accessCodeLifespanLogin: 1800,
    enabled: realm.enabled,
    sslRequired: realm.sslRequired,
    registrationAllowed: false,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    resetPasswordAllowed: false,
    bruteForceProtected: realm.bruteForceProtected,
    permanentLockout: realm.permanentLockout,
    maxTemporaryLockouts: 0,
    bruteForceStrategy: "MULTIPLE",
    maxFailureWaitSeconds: realm.maxFailureWaitSeconds,
    minimumQuickLoginWaitSeconds: 60,
    waitIncrementSeconds: realm.waitIncrementSeconds,
    quickLoginCheckMilliSeconds: 1000,
    maxDeltaTimeSeconds: 43200,
    failureFactor: realm.failureFactor,
    eventsEnabled: e.eventsEnabled,
    ...(e.eventsExpiration !== 0 ? { eventsExpiration: e.eventsExpiration } : {}),
    eventsListeners: e.eventsListeners,
    // Unlike GET events/config, the realm representation shows the stored (possibly empty) list.
    enabledEventTypes: e.enabledEventTypes,
    adminEventsEnabled: e.adminEventsEnabled,
    adminEventsDetailsEnabled: e.adminEventsDetailsEnabled,
    attributes: { ...realm.attributes },
  };
}

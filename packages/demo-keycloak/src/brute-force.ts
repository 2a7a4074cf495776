import type { RealmModel, UserModel } from "./realm-model";

/** DefaultBruteForceProtector, reduced to temporary lockouts. */
export function isTemporarilyDisabled(realm: RealmModel, user: UserModel, now: number): boolean {
  const lf = realm.loginFailures.get(user.id);
  return realm.bruteForceProtected && !!lf && lf.failedLoginNotBefore > now;
}

/** Counts a failed login; returns true when this failure triggers a temporary lockout. */
export function recordLoginFailure(realm: RealmModel, user: UserModel, ip: string, now: number): boolean {
  if (!realm.bruteForceProtected) return false;
  const lf = realm.loginFailures.get(user.id) ?? {
    numFailures: 0,
    lastFailure: 0,
    lastIPFailure: "",
    failedLoginNotBefore: 0,
  };
  lf.numFailures++;
  lf.lastFailure = now;
  lf.lastIPFailure = ip;
  realm.loginFailures.set(user.id, lf);
  if (lf.numFailures % realm.failureFactor !== 0) return false;
  const waits = Math.floor(lf.numFailures / realm.failureFactor);
  const waitSec = Math.min(realm.waitIncrementSeconds * waits, realm.maxFailureWaitSeconds);
  lf.failedLoginNotBefore = now + waitSec * 1000;
  return true;
}

export function recordLoginSuccess(realm: RealmModel, user: UserModel): void {
  realm.loginFailures.delete(user.id);
}

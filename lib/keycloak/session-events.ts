/**
 * Session and impersonation vocabulary of Keycloak's user events, as the user drill-down reads it.
 *
 * - `USER_SESSION_DELETED` (EventType, saveByDefault=false; keycloak#44513 and PR #44530, released in 26.5.0):
 *   Keycloak removed a user session by itself (it expired, or became invalid, e.g. when remember-me was turned
 *   off for the realm); the `reason` detail says which. A success-typed event: an ended session, not a failure,
 *   and a realm saves it only when the type is added to the saved types.
 * - Impersonation: the IMPERSONATE event carries `impersonator` and `impersonator_realm` (Details.IMPERSONATOR,
 *   Details.IMPERSONATOR_REALM). Since 26.8.0 the token events of an impersonated session (CODE_TO_TOKEN,
 *   REFRESH_TOKEN, LOGOUT...) carry the impersonator too (keycloak#51489, PR #51492). The exact detail names of
 *   that change could not be read in Keycloak's source here, so every detail whose key starts with
 *   `impersonator` is taken: the two confirmed ones, and whatever 26.8 adds under that prefix.
 */

export const USER_SESSION_DELETED = "USER_SESSION_DELETED";

/** Detail keys that name who impersonated the user (see above). */
export function isImpersonatorDetail(key: string): boolean {
  return key.startsWith("impersonator");
}

/** The impersonator details of one event, or null when it has none. Values are untrusted text, shown as text. */
export function impersonatorDetails(
  details: Record<string, unknown> | null | undefined,
): Record<string, string> | null {
  if (!details) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (isImpersonatorDetail(key) && typeof value === "string" && value !== "")
      out[key] = value.slice(0, 255);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Who impersonated, in one string: the username (or id) and, when another, the realm of the impersonator. */
export function impersonatorLabel(details: Record<string, string>): string | null {
  const who =
    details.impersonator ??
    details.impersonator_username ??
    details.impersonator_id ??
    Object.entries(details).find(([k]) => k !== "impersonator_realm")?.[1];
  if (!who) return null;
  const realm = details.impersonator_realm;
  return realm ? `${who} (realm ${realm})` : who;
}

import type { RealmManagementRole } from "@/lib/keycloak/realm-management-roles";
import { callRoles, type KeycloakCall } from "@/lib/keycloak/representations";
import { AppError, type AppErrorCode } from "@/lib/server/errors";

/**
 * What every failed call to Keycloak throws: an AppError (its code and message reach the API, the sources page
 * and the sync status as they are) that also says which call failed, what Keycloak answered and which
 * realm-management role the call needs, so a live check can name the role it lacks.
 */
export class KeycloakError extends AppError {
  readonly call: KeycloakCall;
  /** The HTTP status Keycloak answered; null when it did not answer, or answered something unreadable. */
  readonly keycloakStatus: number | null;
  /** The realm-management role the call needs; null for calls no such role allows. */
  readonly role: RealmManagementRole | null;
  /** Every realm-management role the call needs (`role` first); the example token needs two. */
  readonly roles: RealmManagementRole[];

  constructor(
    code: AppErrorCode,
    message: string,
    call: { call: KeycloakCall; keycloakStatus: number | null; role: RealmManagementRole | null },
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = "KeycloakError";
    this.call = call.call;
    this.keycloakStatus = call.keycloakStatus;
    this.role = call.role;
    this.roles = call.role ? [call.role, ...callRoles(call.call).filter((r) => r !== call.role)] : [];
  }
}

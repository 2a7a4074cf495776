import type { CheckResult, CheckStatus, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import { isRealmManagementRole } from "@/lib/keycloak/realm-management-roles";
import type { AdminApi, ClientRepresentation, UserRepresentation } from "@/lib/keycloak/representations";

/** Thrown inside a check to end it with a status: a missing client, user or context field. */
export class Conclusion extends Error {
  constructor(
    readonly status: CheckStatus,
    readonly evidence: string,
  ) {
    super(evidence);
  }
}

/** Turns what a check throws into a result: a 403 becomes unknown with the role that would allow the call. */
export function resultOfError(err: unknown): Omit<CheckResult, "id" | "title"> {
  if (err instanceof Conclusion) return { status: err.status, evidence: err.evidence };
  if (err instanceof KeycloakError) {
    if (err.keycloakStatus === 403) {
      const role = err.role;
      return {
        status: "unknown",
        evidence: `Keycloak answered 403 to ${err.call}: realmwatch's service account needs the ${role} role of realm-management to run this check.`,
        ...(role ? { needsRole: role } : {}),
      };
    }
    if (err.keycloakStatus === 401) {
      return { status: "unknown", evidence: `Keycloak refused realmwatch's own token (401 on ${err.call}).` };
    }
    return { status: "unknown", evidence: `The check could not finish: ${err.message.replace(/\.$/, "")}.` };
  }
  return { status: "unknown", evidence: "The check could not finish: unexpected error." };
}

/** Whether a context value says something: not absent, not blank, not a list of blanks. */
export function present(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.some(present);
  return value !== undefined && value !== null;
}

export function need<T>(value: T | undefined, what: string): T {
  if (!present(value)) {
    throw new Conclusion("unknown", `Not enough to check: the failures name no ${what}.`);
  }
  return value as T;
}

/**
 * The context with every string trimmed and every blank value (an empty string, blanks in a list, an empty
 * list) dropped: a requirement that says nothing is a missing requirement, never one that anything meets.
 */
export function normalizeContext(ctx: LiveCheckContext): LiveCheckContext {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ctx)) {
    if (typeof value === "string") {
      if (present(value)) out[key] = value.trim();
    } else if (Array.isArray(value)) {
      const kept = value.filter(present).map((v) => (typeof v === "string" ? v.trim() : v));
      if (kept.length > 0) out[key] = kept;
    } else if (value !== undefined && value !== null) out[key] = value;
  }
  return out as unknown as LiveCheckContext;
}

export async function requireClient(
  api: AdminApi,
  realm: string,
  clientId: string | undefined,
): Promise<ClientRepresentation> {
  const id = need(clientId, "client");
  const client = await api.getClientByClientId(realm, id);
  if (!client) throw new Conclusion("fail", `Realm ${realm} has no client ${id}.`);
  return client;
}

export interface Subject {
  id: string;
  label: string;
  kind: "user" | "service account";
}

/** The user named by the context, else the client's service account. */
export async function requireSubject(api: AdminApi, ctx: LiveCheckContext): Promise<Subject> {
  if (ctx.userId) return { id: ctx.userId, label: ctx.username ?? ctx.userId, kind: "user" };
  if (ctx.username) {
    const user: UserRepresentation | null = await api.findUserByUsername(ctx.realm, ctx.username);
    if (!user) throw new Conclusion("fail", `Realm ${ctx.realm} has no user ${ctx.username}.`);
    return { id: user.id, label: user.username, kind: "user" };
  }
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  if (client.serviceAccountsEnabled === false) {
    throw new Conclusion(
      "unknown",
      `Not enough to check: no user named, and ${client.clientId} has no service account.`,
    );
  }
  const user = await api.getServiceAccountUser(ctx.realm, client.id);
  return { id: user.id, label: user.username, kind: "service account" };
}

export interface RequiredRole {
  name: string;
  /** Owning client's clientId; undefined for a realm role. */
  clientId?: string;
  label: string;
}

export function requiredRole(ctx: LiveCheckContext): RequiredRole {
  const name = need(ctx.role, "required role");
  const clientId = ctx.roleClientId ?? (isRealmManagementRole(name) ? "realm-management" : undefined);
  return { name, clientId, label: clientId ? `client role ${name} of ${clientId}` : `realm role ${name}` };
}

/** Names, sorted: Keycloak returns roles and scopes in no fixed order. */
export const names = (values: { name: string }[]): string =>
  values.length === 0
    ? "(none)"
    : values
        .map((v) => v.name)
        .sort()
        .join(", ");

export const splitScope = (scope: string | undefined): string[] =>
  (scope ?? "").split(/\s+/).filter((s) => s !== "");

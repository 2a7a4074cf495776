import type { CheckTarget } from "@/lib/diagnose/pattern-check-context";

/** What the token analyzer's form starts with when it is opened from a stored failure or a pattern. */
export interface TokenPrefill {
  realm: string;
  clientId?: string;
  audience?: string;
  realmRoles?: string;
  clientRoles?: string;
  roleClient?: string;
  scopes?: string;
  endpoint?: "api" | "userinfo";
  issuers?: string;
  /** Where it came from, kept in the fix link so the fix page reads the same evidence. */
  pattern?: string;
  event?: string;
  source?: string;
}

/** The API's requirements as the failures carried them: the required role, audience and scopes, the endpoint. */
export function tokenPrefillOf(
  target: CheckTarget,
  from: { pattern: string } | { event: string; source: string },
): TokenPrefill {
  const ctx = target.context;
  const requiredScopes = target.values.filter(([k]) => k === "required_scope").map(([, v]) => v);
  const out: TokenPrefill = { realm: ctx.realm, ...from };
  if (ctx.clientId) out.clientId = ctx.clientId;
  if (ctx.audience) out.audience = ctx.audience;
  if (ctx.role && ctx.roleClientId) {
    out.clientRoles = ctx.role;
    out.roleClient = ctx.roleClientId;
  } else if (ctx.role) out.realmRoles = ctx.role;
  if (requiredScopes.length > 0) out.scopes = requiredScopes.join(" ");
  if (ctx.endpoint) out.endpoint = ctx.endpoint;
  if (ctx.issuers?.length) out.issuers = ctx.issuers.join(" ");
  return out;
}

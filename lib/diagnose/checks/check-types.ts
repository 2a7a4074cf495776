import type { CauseId } from "@/lib/classify/causes";
import type { TokenRequirements } from "@/lib/diagnose/token-findings";
import type { RealmManagementRole } from "@/lib/keycloak/realm-management-roles";
import type { AdminApi } from "@/lib/keycloak/representations";

export type CheckId =
  | "client-scopes"
  | "audience"
  | "effective-roles"
  | "role-scope"
  | "composite-role"
  | "web-origins"
  | "redirect-uris"
  | "issuer"
  | "events-config"
  | "example-token";

export type CheckStatus = "pass" | "fail" | "unknown";

/** The claims that decide a denial, as the failing token had them and as Keycloak would issue them now. */
export interface ClaimsSummary {
  aud: string[];
  scope: string[];
  realmRoles: string[];
  clientRoles: Record<string, string[]>;
}

export interface TokenComparison {
  needed: TokenRequirements;
  before?: ClaimsSummary;
  now: ClaimsSummary;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  evidence: string;
  /** For a 403 from Keycloak: the realm-management role that would let realmwatch run the check. */
  needsRole?: RealmManagementRole;
  /** For a failure that points at another cause than the page's (a redirect URI that lost its https). */
  cause?: CauseId;
  comparison?: TokenComparison;
}

/** What the failures tell about the realm: whom to check and against what. */
export interface LiveCheckContext {
  realm: string;
  /** The client the failing requests used. */
  clientId?: string;
  /** Set when the failures did not name the client and it was found another way (by the browser origin). */
  clientFoundBy?: string;
  /** The user; without one, checks look at the client's service account. */
  username?: string;
  userId?: string;
  /** The role the denials need; a client role when roleClientId is set (realm-management for admin roles). */
  role?: string;
  roleClientId?: string;
  /** The API (client id) that must be in aud. */
  audience?: string;
  /** The scope parameter the client sends, space-separated. */
  scope?: string;
  /** Scopes Keycloak said the failing tokens lacked (userinfo's insufficient_scope "Missing openid scope"). */
  missingScopes?: string[];
  endpoint?: "userinfo" | "api";
  origins?: string[];
  redirectUris?: string[];
  /** Token issuers seen in the failures (iss, or the "but was" of Invalid token issuer). */
  issuers?: string[];
  /** The failing token's claims, for the before/after of the example token. */
  seenClaims?: ClaimsSummary;
}

export type LiveCheck = (api: AdminApi, ctx: LiveCheckContext) => Promise<Omit<CheckResult, "id" | "title">>;

import type { AdminChangeKind } from "@/lib/analytics/admin-change";
import type { CauseId } from "@/lib/classify/causes";

export interface Relevance {
  /** 0..1: how well this kind of change explains a spike of this cause. */
  weight: number;
  /** Why, in words that finish "...; " in a reason sentence. */
  why: string;
}

/**
 * Which admin changes explain which causes. Weights rank, they are not probabilities: 1 is the textbook cause
 * (a removed role mapping behind a missing-role spike), 0.5 a common contributor, 0.2 a long shot.
 */
export const ADMIN_CHANGE_RELEVANCE: Record<CauseId, Partial<Record<AdminChangeKind, Relevance>>> = {
  "missing-role": {
    "user-role-mapping-removed": {
      weight: 1,
      why: "a removed role mapping takes the role out of the user's next tokens",
    },
    "user-group-left": { weight: 0.8, why: "leaving a group drops the roles the group granted" },
    "user-role-mapping-added": {
      weight: 0.7,
      why: "a role given just before is often the wrong one: a realm role where the API checks a client role of the same name, or a role of another client",
    },
    "client-scope-mapping-changed": {
      weight: 0.8,
      why: "a client's scope mappings decide which roles its tokens may carry",
    },
    "client-role-changed": {
      weight: 0.7,
      why: "a deleted or re-composed client role disappears from tokens",
    },
    "group-changed": { weight: 0.6, why: "a group's role mappings reach every member" },
    "realm-role-changed": { weight: 0.6, why: "a deleted or re-composed realm role disappears from tokens" },
    "client-mapper-changed": { weight: 0.5, why: "a roles mapper decides where roles appear in the token" },
    "client-scope-changed": {
      weight: 0.4,
      why: "the roles client scope maps realm_access and resource_access into tokens",
    },
    "client-updated": {
      weight: 0.4,
      why: "turning off Full scope allowed limits the roles in the client's tokens",
    },
  },
  "missing-scope": {
    "client-scopes-assigned-changed": {
      weight: 1,
      why: "a client scope removed from the client's default or optional scopes is no longer granted",
    },
    "client-scope-changed": {
      weight: 0.8,
      why: "a changed or deleted client scope changes what every client using it may request",
    },
    "realm-default-scopes-changed": {
      weight: 0.5,
      why: "realm default client scopes decide the scopes of clients created afterwards",
    },
    "client-mapper-changed": { weight: 0.3, why: "the client's token mappers changed" },
    "client-updated": { weight: 0.3, why: "the client's settings changed" },
  },
  "wrong-audience": {
    "client-mapper-changed": { weight: 0.9, why: "an audience mapper puts the target client in aud" },
    "client-scope-changed": { weight: 0.7, why: "audience mappers often live in a shared client scope" },
    "client-scopes-assigned-changed": {
      weight: 0.7,
      why: "removing the client scope that carries the audience mapper drops the audience",
    },
    "client-scope-mapping-changed": {
      weight: 0.5,
      why: "with Full scope allowed off, aud follows the client roles in scope",
    },
    "client-role-changed": { weight: 0.4, why: "client roles in a token put their client into aud" },
    "client-updated": { weight: 0.4, why: "the client's settings changed" },
  },
  "proxy-misconfig": {
    "realm-updated": {
      weight: 0.9,
      why: "the realm's frontend URL and SSL-required setting decide the issuer and the HTTPS check",
    },
    "client-updated": {
      weight: 0.5,
      why: "the client's root URL and redirect URIs must match what the proxy forwards",
    },
    "component-changed": { weight: 0.2, why: "a realm component changed" },
  },
  cors: {
    "client-updated": {
      weight: 0.9,
      why: "web origins decide which origins may call with the client's tokens",
    },
  },
  "redirect-uri": {
    "client-updated": { weight: 1, why: "valid redirect URIs are part of the client's settings" },
    "realm-updated": { weight: 0.3, why: "a changed frontend URL changes the URLs the server builds" },
  },
  "token-expired": {
    "realm-updated": { weight: 0.6, why: "shorter token or session lifespans expire tokens sooner" },
    "component-changed": {
      weight: 0.4,
      why: "rotated or removed realm keys make existing tokens unverifiable",
    },
    "client-updated": { weight: 0.4, why: "a client can override the access token lifespan" },
  },
  "session-invalid": {
    "realm-sessions-ended": {
      weight: 1,
      why: "signing out every session or pushing a not-before policy invalidates existing tokens",
    },
    "user-sessions-ended": { weight: 0.9, why: "ending a user's sessions invalidates their refresh tokens" },
    "realm-updated": {
      weight: 0.6,
      why: "session lifespans and refresh token rotation are realm settings",
    },
    "user-deleted": { weight: 0.5, why: "a deleted user's sessions and tokens stop working" },
    "user-credentials-changed": { weight: 0.3, why: "a password reset can end the user's sessions" },
    "client-updated": { weight: 0.3, why: "client session lifespans can be overridden per client" },
  },
  "client-auth": {
    "client-secret-changed": {
      weight: 1,
      why: "a regenerated secret rejects every caller still using the old one",
    },
    "client-deleted": { weight: 1, why: "a deleted client is unknown to the token endpoint" },
    "client-updated": {
      weight: 0.7,
      why: "client authentication, service accounts and public or confidential access are client settings",
    },
    "client-created": { weight: 0.2, why: "a re-created client has a new secret" },
  },
  "client-config": {
    "client-updated": { weight: 1, why: "the flows and grants a client may use are client settings" },
    "authentication-flow-changed": { weight: 0.4, why: "a changed authentication flow can reject a grant" },
    "client-scopes-assigned-changed": { weight: 0.3, why: "the client's scopes changed" },
  },
  "user-credentials": {
    "user-credentials-changed": {
      weight: 0.9,
      why: "a reset or removed credential rejects the old password",
    },
    "user-deleted": { weight: 0.6, why: "a deleted user is unknown at the next login" },
    "component-changed": { weight: 0.6, why: "user federation (LDAP, Kerberos) answers credential checks" },
    "authentication-flow-changed": {
      weight: 0.4,
      why: "the login flow decides which credentials are checked",
    },
    "realm-updated": { weight: 0.3, why: "a new password policy can reject existing passwords" },
  },
  "user-state": {
    "user-updated": { weight: 0.9, why: "disabling a user or adding required actions blocks their logins" },
    "realm-updated": { weight: 0.5, why: "brute-force detection settings decide when users are locked out" },
    "authentication-flow-changed": { weight: 0.3, why: "a changed login flow can add required actions" },
    "component-changed": { weight: 0.3, why: "user federation can disable users" },
  },
  "authz-policy": {
    "client-authz-changed": {
      weight: 1,
      why: "resources, scopes, policies and permissions decide the authorization decision",
    },
    "user-role-mapping-removed": { weight: 0.5, why: "role-based policies follow the user's roles" },
    "user-group-left": { weight: 0.4, why: "group-based policies follow the user's groups" },
    "group-changed": { weight: 0.3, why: "group-based policies follow group membership" },
  },
  unknown: {},
};

/** Any cause: enabling event types makes failures that were always there visible from now on. */
export const EVENTS_CONFIG_RELEVANCE: Relevance = {
  weight: 0.5,
  why: "the realm's saved event types changed, so failures that already happened may only now be recorded",
};

/** A spike of unknown cause: any change to a client or user in it, weakly. */
export const UNKNOWN_CAUSE_RELEVANCE: Relevance = {
  weight: 0.3,
  why: "it changed a client, user or setting involved in the spike",
};

/**
 * Representation fields (client, realm and user representations; `attributes.x` for attributes) whose change
 * bears on a cause. When the previous representation of the same resource is known, a change that touched
 * these fields ranks first and one that touched none of them drops far down.
 */
export const RELEVANT_FIELDS: Record<CauseId, readonly string[]> = {
  "missing-role": ["fullScopeAllowed", "defaultRoles", "defaultRole", "composite", "composites"],
  "missing-scope": [
    "defaultClientScopes",
    "optionalClientScopes",
    "defaultDefaultClientScopes",
    "defaultOptionalClientScopes",
  ],
  "wrong-audience": ["protocolMappers", "defaultClientScopes", "optionalClientScopes", "fullScopeAllowed"],
  "proxy-misconfig": [
    "sslRequired",
    "attributes.frontendUrl",
    "attributes.hostname",
    "rootUrl",
    "baseUrl",
    "adminUrl",
    "redirectUris",
    "webOrigins",
  ],
  cors: ["webOrigins", "rootUrl"],
  "redirect-uri": ["redirectUris", "rootUrl", "baseUrl", "attributes.frontendUrl"],
  "token-expired": [
    "accessTokenLifespan",
    "accessTokenLifespanForImplicitFlow",
    "ssoSessionIdleTimeout",
    "ssoSessionMaxLifespan",
    "clientSessionIdleTimeout",
    "clientSessionMaxLifespan",
    "notBefore",
    "attributes.access.token.lifespan",
  ],
  "session-invalid": [
    "ssoSessionIdleTimeout",
    "ssoSessionMaxLifespan",
    "clientSessionIdleTimeout",
    "clientSessionMaxLifespan",
    "offlineSessionIdleTimeout",
    "revokeRefreshToken",
    "refreshTokenMaxReuse",
    "notBefore",
    "attributes.client.session.idle.timeout",
    "attributes.client.session.max.lifespan",
  ],
  "client-auth": [
    "publicClient",
    "bearerOnly",
    "serviceAccountsEnabled",
    "clientAuthenticatorType",
    "enabled",
    "attributes.jwks.url",
    "attributes.use.jwks.url",
  ],
  "client-config": [
    "standardFlowEnabled",
    "implicitFlowEnabled",
    "directAccessGrantsEnabled",
    "serviceAccountsEnabled",
    "consentRequired",
    "attributes.pkce.code.challenge.method",
    "attributes.standard.token.exchange.enabled",
    "attributes.oauth2.device.authorization.grant.enabled",
  ],
  "user-credentials": ["passwordPolicy", "bruteForceProtected"],
  "user-state": [
    "enabled",
    "requiredActions",
    "bruteForceProtected",
    "permanentLockout",
    "failureFactor",
    "maxFailureWaitSeconds",
  ],
  "authz-policy": ["authorizationServicesEnabled", "policyEnforcementMode", "decisionStrategy"],
  unknown: [],
};

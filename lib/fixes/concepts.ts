/** Keycloak concepts a fix page explains where they matter. Each page lists the ids it needs. */
export const CONCEPTS = {
  "realm-vs-client-roles": {
    title: "Realm roles and client roles",
    text: [
      "A realm role belongs to the whole realm; a client role belongs to one client (its namespace). Both are assigned under Users > user > Role mapping, or to a client's service account under Clients > client > Service accounts roles.",
      "In the access token realm roles appear in realm_access.roles and client roles in resource_access.<clientId>.roles. A client role reader of client api and a realm role reader are different roles: an API that reads resource_access.api.roles never sees the realm role, and the other way round.",
    ],
  },
  "composite-roles": {
    title: "Composite roles",
    text: [
      "A composite role carries associated roles (Realm roles > role > Associated roles, or Clients > client > Roles > role > Associated roles). Holding the composite grants every associated role, recursively, and Keycloak writes the expanded roles into the token.",
      "The expansion still goes through the client's role scope: an associated role that the client may not carry (Full scope allowed off and not in the scope mappings) is left out.",
    ],
  },
  "role-scope-mappings": {
    title: "Full scope allowed and scope mappings",
    text: [
      "Keycloak puts in a token only the roles the user holds AND the client may carry. With Full scope allowed on (Clients > client > Client scopes > <client>-dedicated > Scope) the client may carry every role; with it off, only the roles listed in that Scope tab and in the scope mappings of the client scopes it uses.",
      "The realm roles and client roles mappers live in the built-in roles client scope: remove roles from the client's default scopes and realm_access and resource_access disappear from the token.",
    ],
  },
  audience: {
    title: "Audience (aud) and azp",
    text: [
      "aud lists who the token is for; azp names the client it was issued to. Keycloak fills aud in two ways: the Audience Resolve mapper of the roles scope adds every client on which the user holds a client role (which is why a fresh realm shows aud account), and an Audience mapper (oidc-audience-mapper) adds one named client or a custom string.",
      "The requesting client is never added to aud by itself. If nothing adds anything, Keycloak leaves aud out altogether. Keycloak's introspection endpoint answers active:true without looking at aud, so an API must check aud itself.",
    ],
  },
  "client-scopes": {
    title: "Default and optional client scopes",
    text: [
      "A client's Default client scopes are always applied; its Optional ones only when the client asks for them in the scope parameter. Asking for a scope that is neither fails with invalid_scope (Invalid scopes: ...).",
      "openid is not a client scope: it is always allowed, but it is in the token's scope claim only when it was requested. A client scope's Include in token scope setting decides whether its name appears in the scope claim.",
    ],
  },
  "hostname-proxy": {
    title: "Hostname and reverse-proxy options (hostname v2)",
    text: [
      "Keycloak builds every URL it hands out (issuer, redirects, discovery) from --hostname, and, when --proxy-headers=xforwarded (or forwarded) is set, from the forwarded scheme, host and port of each request. The issuer in a token is the realm URL under that hostname, so a token minted under one hostname fails verification under another.",
      "Behind a proxy that terminates TLS: --http-enabled=true plus --proxy-headers, and the proxy must set (and overwrite) X-Forwarded-Proto, -Host, -Port and -For. --hostname-backchannel-dynamic=true lets back-end services reach Keycloak by an internal URL while tokens keep the public issuer.",
    ],
  },
  "web-origins": {
    title: "Web origins",
    text: [
      "Clients > client > Settings > Web origins lists the browser origins (scheme://host[:port]) allowed to call Keycloak's endpoints from JavaScript with this client. + means the origins of the Valid redirect URIs; * allows every origin and does not belong in production.",
      "The allowed origins also go into the token's allowed-origins claim (web-origins client scope), which the Keycloak JavaScript adapter and some resource servers use.",
    ],
  },
  "admin-roles": {
    title: "Roles for the Admin REST API",
    text: [
      "Every call to /admin/realms/{realm}/... is checked against roles of the realm-management client of that realm: view-users, manage-users, query-users, view-clients, manage-clients, view-realm, manage-realm, view-events, manage-events, query-groups. realm-admin holds them all; give a service account only the ones it uses.",
      "A forbidden admin call answers 403 and writes no event of any kind: only Keycloak's HTTP access log shows it.",
    ],
  },
  "event-saving": {
    title: "Which events Keycloak saves",
    text: [
      "New realms save no events. With Save events on, Keycloak stores the types that are saved by default unless Saved types lists others. USER_INFO_REQUEST_ERROR, INTROSPECT_TOKEN_ERROR, REFRESH_TOKEN_ERROR and PERMISSION_TOKEN_ERROR, the ones most 403s and 401s produce, are not saved by default.",
    ],
  },
} as const satisfies Record<string, { title: string; text: readonly string[] }>;

export type ConceptId = keyof typeof CONCEPTS;

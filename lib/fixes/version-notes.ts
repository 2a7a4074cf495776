/** Keycloak version differences a fix page mentions. Each page lists the ids that concern it. */
export const VERSION_NOTES = {
  "userinfo-openid": {
    since: "20.0",
    text: "The userinfo endpoint answers 403 insufficient_scope (Missing openid scope) to an access token issued without the openid scope. Before 20 it answered such tokens.",
  },
  "basic-scope": {
    since: "25.0",
    text: "The sub claim is written by the basic client scope, a default scope of every client. A client without basic gets access tokens without sub.",
  },
  "hostname-v2": {
    since: "25.0",
    text: "Hostname options v2 arrived in 25 and are the only ones in 26: --hostname takes a full URL or a host name, with --hostname-admin, --hostname-backchannel-dynamic and --hostname-strict. The v1 options (--hostname-url, --hostname-path, --hostname-port, --hostname-strict-https) are gone in 26, and so is --proxy=edge|reencrypt|passthrough (deprecated since 24 for --proxy-headers=xforwarded|forwarded). An upgrade that kept the old options does not start, or serves the wrong URLs.",
  },
  "invalid-origin": {
    since: "26.6.3",
    text: "A request whose Origin header is not among the client's web origins is refused with 403 Invalid origin before the endpoint runs, so no event is written: only Keycloak's HTTP access log (--http-access-log-enabled=true) shows it (keycloak#45957, fix for CVE-2026-37977). Earlier versions answered it and only left out Access-Control-Allow-Origin, so the browser blocked the response. Server-to-server token requests (client credentials, password grant) are refused too when a gateway or HTTP library adds an Origin header (keycloak#51831, open).",
  },
  "redirect-wildcard-host": {
    since: "26.6.3",
    text: "A * right after the host of a valid redirect URI no longer reaches into the host name: https://app.example.com* is read as https://app.example.com/*, and an entry holding # is compared exactly (keycloak#48430, also in 26.4.13; the 26.5 line kept the old rule). Registrations such as https://app* that covered app-staging.example.com stop matching after the upgrade, so redirect failures that begin right after it point at such an entry. Register each host with a path wildcard.",
  },
  "org-group-roles": {
    since: "26.7",
    text: "Realm and client roles can be assigned to organization groups (keycloak PR #48670). They reach the token under the organization claim when the Organization Group Membership mapper has Add group role mappings on. The release notes also promise them in realm_access and resource_access, but keycloak#52764 (open, 26.7.3) reports they appear neither there nor among the user's role mappings: an API that reads realm_access does not see them. Assign the role to the user or to an ordinary group until that is fixed.",
  },
  "client-secret-rotation": {
    since: "26.8",
    text: "Client secret rotation is a supported feature (keycloak#16738; a preview before): under a rotation policy a client has two active secrets, the main one and the rotated one, and both authenticate until the rotated secret expires. A consumer that starts failing with invalid client credentials when the rotated secret expires still sends the old secret: give it the main secret from Clients > client > Credentials.",
  },
  "user-session-deleted": {
    since: "26.5",
    text: "Keycloak writes USER_SESSION_DELETED when it removes a session by itself (expired, or invalid, e.g. after remember-me was turned off), with the reason as a detail (keycloak#44513). The type is not saved by default: add it to the realm's saved event types to see why a user's session ended.",
  },
  "impersonator-details": {
    since: "26.8",
    text: "Token events of an impersonated session (CODE_TO_TOKEN, REFRESH_TOKEN, LOGOUT...) carry the impersonator, and tokens carry an act claim naming the admin (keycloak#51489). Before 26.8 only the IMPERSONATE event named the impersonator; later activity looked like the user's own.",
  },
  "events-api": {
    since: "26.2",
    text: "The events endpoints accept epoch-millisecond dateFrom/dateTo and direction=asc|desc, and return each event's id. Earlier servers take days only (in the server's time zone) and always answer newest first.",
  },
  "log-quotes": {
    since: "23.0.5",
    text: 'The jboss-logging event listener quotes values (type="LOGIN_ERROR", reason="..."); older servers write them bare (type=LOGIN_ERROR, reason=\'...\'). Log searches must allow both.',
  },
  "standard-token-exchange": {
    since: "26.2",
    text: "Standard token exchange (V2) is switched on per client (Capability config > Standard Token Exchange, attribute standard.token.exchange.enabled). The requesting client must be in the subject token's aud.",
  },
} as const satisfies Record<string, { since: string; text: string }>;

export type VersionNoteId = keyof typeof VERSION_NOTES;

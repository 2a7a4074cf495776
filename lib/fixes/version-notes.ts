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
    text: "A token request whose Origin header is not among the client's web origins is refused with 403 Invalid origin before any event is written. Earlier versions answered it and only left out Access-Control-Allow-Origin, so the browser blocked the response.",
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

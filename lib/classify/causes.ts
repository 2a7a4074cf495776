/**
 * The cause vocabulary: stable ids used in the API, exports, metrics labels and fix-page URLs.
 * Add a cause only with a real Keycloak situation behind it; never rename one.
 */
export const CAUSES = {
  "missing-scope": {
    title: "Missing scope",
    summary:
      "The token lacks a scope the endpoint requires (userinfo without openid), or a requested scope is not allowed for the client.",
  },
  "missing-role": {
    title: "Missing role",
    summary:
      "The caller lacks a realm or client role: admin REST 403s, an API's role check, realm-vs-client role confusion, a composite not expanded, a role filtered out by the client's scope.",
  },
  "wrong-audience": {
    title: "Wrong audience",
    summary: "The token's aud lacks the target; token-exchange audience errors.",
  },
  "proxy-misconfig": {
    title: "Proxy or hostname misconfiguration",
    summary:
      "Issuer/hostname mismatch, scheme or port lost by a reverse proxy, HTTPS required behind TLS termination, forwarded headers not trusted, cookies lost.",
  },
  cors: {
    title: "CORS origin rejected",
    summary: "The request origin is not in the client's web origins.",
  },
  "redirect-uri": {
    title: "Redirect URI not registered",
    summary: "A redirect URI that is not registered (and not explained by a proxy).",
  },
  "token-expired": {
    title: "Token expired",
    summary: "An access or refresh token expired or is not yet valid (clock skew).",
  },
  "session-invalid": {
    title: "Session invalid",
    summary: "Session gone or revoked, code reused or expired, refresh-token reuse or rotation.",
  },
  "client-auth": {
    title: "Client authentication failed",
    summary:
      "Wrong or rotated secret, public vs confidential mismatch, unknown or disabled client, service accounts disabled.",
  },
  "client-config": {
    title: "Client configuration",
    summary:
      "A flow or grant not enabled for the client (direct access grants, PKCE, consent, token exchange).",
  },
  "user-credentials": {
    title: "User credentials",
    summary: "Wrong password or unknown username.",
  },
  "user-state": {
    title: "User state",
    summary: "User disabled, locked by brute-force detection, required actions pending.",
  },
  "authz-policy": {
    title: "Authorization policy denied",
    summary: "An Authorization Services policy denied the permission.",
  },
  unknown: {
    title: "Unknown",
    summary: "No rule matched: the raw evidence is kept.",
  },
} as const satisfies Record<string, { title: string; summary: string }>;

export type CauseId = keyof typeof CAUSES;
export const CAUSE_IDS = Object.keys(CAUSES) as CauseId[];

export function isCauseId(value: string): value is CauseId {
  return Object.hasOwn(CAUSES, value);
}

/** The guided fix page of a cause. */
export function fixPath(cause: CauseId): string {
  return `/fixes/${cause}`;
}

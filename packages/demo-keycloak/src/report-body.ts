/**
 * What a resource server (the user's own API) reports when it denies a request: Keycloak never sees these
 * denials, so the demo produces them the way an API middleware would post them to realmwatch.
 */
export interface ResourceServerReportBody {
  method: string;
  path: string;
  status: number;
  required: {
    realmRoles?: string[];
    clientRoles?: Array<{ clientId: string; roles: string[] }>;
    audience?: string[];
    scopes?: string[];
  };
  /** The bearer token the API rejected: a real RS256 JWT signed by the demo server. */
  token: string;
  /** Epoch ms of the denial (the token's iat has only second precision). */
  time: number;
}

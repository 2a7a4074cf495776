/** The claims the analyser and the live checks read, normalised from an untrusted payload. */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  azp?: string;
  typ?: string;
  preferredUsername?: string;
  /** `aud` as a list (Keycloak writes a string for one audience, an array for several). */
  aud: string[];
  /** `scope` split on spaces. */
  scope: string[];
  realmRoles: string[];
  clientRoles: Record<string, string[]>;
  exp?: number;
  nbf?: number;
  iat?: number;
  hasRoleClaims: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

export function readTokenClaims(payload: Record<string, unknown>): TokenClaims {
  const resourceAccess = record(payload.resource_access);
  const clientRoles: Record<string, string[]> = {};
  for (const [client, entry] of Object.entries(resourceAccess ?? {})) {
    clientRoles[client] = strings(record(entry)?.roles);
  }
  const aud = typeof payload.aud === "string" ? [payload.aud] : strings(payload.aud);
  return {
    iss: str(payload.iss),
    sub: str(payload.sub),
    azp: str(payload.azp),
    typ: str(payload.typ),
    preferredUsername: str(payload.preferred_username),
    aud,
    scope: (str(payload.scope) ?? "").split(" ").filter((s) => s !== ""),
    realmRoles: strings(record(payload.realm_access)?.roles),
    clientRoles,
    exp: num(payload.exp),
    nbf: num(payload.nbf),
    iat: num(payload.iat),
    hasRoleClaims: payload.realm_access !== undefined || payload.resource_access !== undefined,
  };
}

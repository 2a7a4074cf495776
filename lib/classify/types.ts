import type { CauseId } from "@/lib/classify/causes";
import type { TokenClaims } from "@/lib/keycloak/jwt";
import type { EventOrigin, HttpDenial } from "@/lib/keycloak/types";

export type { TokenClaims };

/** A denial reported by a resource server (the user's own API): what it required and what the token held. */
export interface ResourceServerReport {
  method: string;
  path: string;
  status: number;
  /** When the API denied the request, epoch ms; expiry is judged against it. Default: now. */
  time?: number;
  required: {
    realmRoles?: string[];
    clientRoles?: { clientId: string; roles: string[] }[];
    audience?: string[];
    scopes?: string[];
  };
  /** The decoded access-token payload (see decodeJwtClaims). */
  claims: TokenClaims;
  /** Realm role names of the realm, when the reporter knows them. */
  knownRealmRoles?: string[];
  /** Composite role name to its associated role names (names matched against realm roles and the client's roles). */
  compositeOf?: Record<string, string[]>;
}

export interface ClassifyInput {
  origin: EventOrigin;
  /** Keycloak event type; "HTTP_DENIAL" for access-log and report records. */
  type: string;
  error?: string | null;
  clientId?: string | null;
  userId?: string | null;
  ipAddress?: string | null;
  details?: Record<string, string> | null;
  /** For access-log and report records. */
  http?: HttpDenial | null;
  /** For origin "report". */
  report?: ResourceServerReport | null;
  /** What the HTTP answer said, when the evidence shows it (a pasted response, curl output, an error body). */
  response?: HttpAnswer | null;
}

/** The error an HTTP answer carried: OAuth `error`/`error_description`, or Keycloak's admin `errorMessage`. */
export interface HttpAnswer {
  error?: string | null;
  description?: string | null;
  message?: string | null;
}

export interface ClassifyContext {
  /** The client's registered redirect URIs, when known. */
  registeredRedirectUris?: string[];
  /** Realm-wide: how many distinct addresses events come from, and the only one if it is private. */
  realmAddressProfile?: { distinctIps: number; onlyPrivateIp?: string | null };
  keycloakVersion?: string | null;
  /** Issuers of the realm under its known hostnames, e.g. https://auth.example.com/realms/acme. */
  knownIssuers?: string[];
  /** `iss` of a token the evidence shows alongside the failure (a pasted token, decoded where it was pasted). */
  presentedIssuer?: string | null;
  /** The issuer of the realm the failing request went to, from its URL (`https://host/realms/acme`). */
  requestIssuer?: string | null;
  /** The realm's name when only that is known (a log line's realmName). */
  requestRealm?: string | null;
}

export interface Classification {
  cause: CauseId;
  ruleId: string;
  /** 0..1: how sure the rule is that this signal means this cause. */
  confidence: number;
  /** One short sentence built from the event's own values. */
  evidence: string;
  /** fixPath(cause). */
  fix: string;
  catalogueVersion: number;
}

/** What decideReportCause concluded about a resource-server denial. */
export type ReportVerdict =
  | "token-expired"
  | "token-not-yet-valid"
  | "issuer-other-host"
  | "wrong-audience"
  | "missing-scope"
  | "role-kind-mismatch"
  | "composite-children-only"
  | "composite-not-expanded"
  | "missing-role"
  | "unexplained";

export interface ReportDecision {
  verdict: ReportVerdict;
  cause: CauseId;
  evidence: string;
}

/** What a rule's evidence may use: the input, the context, and values derived once per event. */
export interface Facts {
  input: ClassifyInput;
  ctx: ClassifyContext;
  reason: string | null;
  report: ReportDecision | null;
}

import { type CauseId, fixPath } from "@/lib/classify/causes";
import { readTokenClaims, type TokenClaims } from "@/lib/diagnose/token-claims";
import {
  audienceFinding,
  expiryFinding,
  type Finding,
  type FindingContext,
  type FindingId,
  issuedAtFinding,
  issuerFinding,
  notBeforeFinding,
  scopeFinding,
  signatureFinding,
  type TokenRequirements,
  tokenTypeFinding,
} from "@/lib/diagnose/token-findings";
import { roleFindings } from "@/lib/diagnose/token-role-findings";
import { decodeJwt, type JwtForm } from "@/lib/keycloak/jwt";

export type { Finding, FindingId, FindingStatus, TokenRequirements } from "@/lib/diagnose/token-findings";

export interface TokenAnalysisInput {
  /** A JWT, a bare base64url payload, or the payload as JSON. Never stored or logged. */
  token: string;
  required?: TokenRequirements;
  /** Issuer URLs of the realms realmwatch knows (`https://kc.example.com/realms/acme`). */
  knownIssuers?: string[];
  /** Epoch ms to judge expiry against: the time of the failing request, or now. */
  now: number;
  /** Leeway for clock differences; 60 s by default, as most JWT validators allow. */
  allowedSkewSeconds?: number;
  /** The IANA zone times are written in, as on every page; UTC by default. */
  timeZone?: string;
}

export interface TokenVerdict {
  cause: CauseId;
  fixPath: string;
  summary: string;
}

export interface TokenAnalysis {
  form: JwtForm | null;
  header: Record<string, unknown> | null;
  claims: TokenClaims | null;
  findings: Finding[];
  verdict: TokenVerdict;
}

/**
 * Which failure explains the denial when several do. Structural problems first (wrong token, wrong
 * issuer, clock skew, audience, scope, roles): they persist after a refresh. Plain expiry last, because a
 * token pasted from an old failure has often expired since, which says nothing about the failure.
 */
const VERDICT_ORDER: FindingId[] = [
  "token-type",
  "issuer",
  "issued-at",
  "not-before",
  "audience",
  "scope",
  "role",
  "expiry",
];

function verdictOf(findings: Finding[]): TokenVerdict {
  for (const id of VERDICT_ORDER) {
    const failure = findings.find((f) => f.id === id && f.status === "fail" && f.cause);
    if (failure?.cause) {
      const others = findings
        .filter((f) => f.status === "fail" && f !== failure)
        .map((f) => f.title.toLowerCase());
      const also = others.length > 0 ? ` Also: ${others.join("; ")}.` : "";
      return { cause: failure.cause, fixPath: fixPath(failure.cause), summary: `${failure.title}.${also}` };
    }
  }
  return {
    cause: "unknown",
    fixPath: fixPath("unknown"),
    summary:
      "Nothing in the token explains a denial. Check who answered (Keycloak, a proxy or the API) and what the API requires.",
  };
}

/** Reads a token's claims and judges them against what the denying API required. Pure: no I/O, no logging. */
export function analyzeToken(input: TokenAnalysisInput): TokenAnalysis {
  const decoded = decodeJwt(input.token);
  if (!decoded.ok) {
    const findings: Finding[] = [
      { id: "decode", status: "fail", title: "Not a readable token", evidence: decoded.reason },
    ];
    return {
      form: null,
      header: null,
      claims: null,
      findings,
      verdict: { cause: "unknown", fixPath: fixPath("unknown"), summary: `The input is ${decoded.reason}.` },
    };
  }
  const claims = readTokenClaims(decoded.payload);
  const ctx: FindingContext = {
    claims,
    header: decoded.header,
    required: input.required ?? {},
    knownIssuers: input.knownIssuers ?? [],
    nowMs: input.now,
    skewMs: (input.allowedSkewSeconds ?? 60) * 1000,
    timeZone: input.timeZone ?? "UTC",
  };
  const findings = [
    {
      id: "decode",
      status: "pass",
      title: "Decoded",
      evidence: decoded.form === "jws" ? "header and payload" : "payload only",
    } satisfies Finding,
    signatureFinding(ctx),
    tokenTypeFinding(ctx),
    issuerFinding(ctx),
    issuedAtFinding(ctx),
    notBeforeFinding(ctx),
    expiryFinding(ctx),
    audienceFinding(ctx),
    scopeFinding(ctx),
    ...roleFindings(ctx),
  ].filter((f): f is Finding => f !== null);
  return { form: decoded.form, header: decoded.header, claims, findings, verdict: verdictOf(findings) };
}

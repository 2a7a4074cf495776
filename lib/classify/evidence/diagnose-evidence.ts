import { PERSONAL_DETAILS, type PersonalKind } from "@/lib/auth/personal-data";
import { CATALOGUE_VERSION, getRule } from "@/lib/classify/catalogue";
import { type CauseId, fixPath } from "@/lib/classify/causes";
import { classify, classifyUserEvent } from "@/lib/classify/classify";
import { classifyAccessLogRecord } from "@/lib/classify/classify-access-log-record";
import { parseIssuer } from "@/lib/classify/conditions";
import { capValue } from "@/lib/classify/evidence";
import {
  GRANT_EVENT_TYPES,
  type ResponseSignal,
  responseSignal,
  TOKEN_ENDPOINT_TYPES,
} from "@/lib/classify/evidence/response-signals";
import type { Classification, ClassifyContext, ClassifyInput } from "@/lib/classify/types";
import type { TokenClaims } from "@/lib/keycloak/jwt";
import { isFailure, type KeycloakUserEvent } from "@/lib/keycloak/types";
import type { HttpExchange } from "@/lib/logs/evidence/http-evidence";
import type {
  EvidencePiece,
  EvidenceReading,
  LineSpan,
  SkippedLines,
} from "@/lib/logs/evidence/read-evidence";

/** Values of the fix page a piece of evidence gives. */
export interface FixFill {
  realm: string | null;
  clientId: string | null;
  /** Personal: shown and linked only for roles that see personal data. */
  userId: string | null;
  audience: string | null;
}

export type { PersonalKind };

export interface PieceFinding {
  kind: EvidencePiece["kind"];
  form: string;
  lines: LineSpan;
  /** What was read, in one sentence without personal values. */
  understood: string;
  /** The cause this piece points to; null when it shows no failure (a success, a token alone). */
  verdict: Classification | null;
  /** Other causes the same piece leaves possible. */
  alternatives: Classification[];
  /** The one piece of evidence that would decide between the causes still possible. */
  decider: string | null;
  fill: FixFill;
}

export interface EvidenceAnswer {
  cause: CauseId;
  ruleId: string;
  confidence: number;
  evidence: string;
  /** The cause's fix page; the caller fills it (fixLink) with `fill`. */
  fix: string;
  fill: FixFill;
  /** Indexes of the pieces that point to this cause. */
  pieces: number[];
  alternatives: { cause: CauseId; confidence: number; evidence: string }[];
  decider: string | null;
}

export interface EvidenceDiagnosis {
  answer: EvidenceAnswer | null;
  pieces: PieceFinding[];
  piecesDropped: number;
  skipped: SkippedLines[];
  notes: string[];
  lineCount: number;
  /** Personal values found in the evidence, for masking what is shown to roles that may not see them. */
  personal: { value: string; kind: PersonalKind }[];
  catalogueVersion: number;
}

export interface DiagnoseOptions {
  /** Epoch ms: token expiry is judged against it. */
  now: number;
  ctx?: ClassifyContext;
}

/** Event types a fragment without `type=` can have, when nothing in it narrows them. */
const FRAGMENT_TYPES = [
  "LOGIN_ERROR",
  ...TOKEN_ENDPOINT_TYPES.filter((t) => t !== "LOGIN_ERROR"),
  "USER_INFO_REQUEST_ERROR",
  "INTROSPECT_TOKEN_ERROR",
] as const;

const AUTH_METHOD_TYPES: Readonly<Record<string, string>> = {
  token_exchange: "TOKEN_EXCHANGE_ERROR",
  validate_access_token: "USER_INFO_REQUEST_ERROR",
};

/** What would decide, for verdicts that leave another cause possible. */
const DECIDERS: Readonly<Record<string, string>> = {
  "userinfo-access-denied":
    "Decode the access token sent to userinfo: does its scope contain openid? (Paste it here; it is decoded in your browser.)",
  "exchange-subject-token-rejected":
    "Decode the subject token: does its iss name the realm the exchange was sent to, under the same hostname? (Paste it here with the request URL.)",
  "code-reused-or-unknown":
    "Was the code exchanged twice (a retried callback) or on another Keycloak node? The access log around the callback shows two POSTs to the token endpoint or two nodes.",
  "cookie-not-found":
    "Do all events come from one private address (a proxy Keycloak does not see through)? Paste a few more failure lines with their ipAddress.",
};
const TOKEN_CHECK_DECIDER =
  "Decode the access token: is exp in the past (expired) or does iss name another host or realm than the request (hostname)? (Paste it here; it is decoded in your browser.)";
const TYPE_DECIDER = "The event's type decides: paste the whole log line, with its type= field.";
const GRANT_DECIDER =
  "The request's grant_type decides (a refresh was assumed): paste the request (curl -v with its -d grant_type=…) or the Keycloak log line.";
const URL_DECIDER = "Which URL answered? Paste the request line (curl -v shows it) or the exception's URL.";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Classifies every piece of pasted evidence and answers with one cause: the most confident piece, the pieces
 * that agree, the causes still possible and what would decide. Tokens shown with a failure take part: their
 * issuer tells another realm from another hostname, their expiry and scope settle a userinfo refusal.
 */
export function diagnoseEvidence(reading: EvidenceReading, options: DiagnoseOptions): EvidenceDiagnosis {
  const personal = new Map<string, PersonalKind>();
  const tokens = reading.pieces.flatMap((p) => (p.kind === "token" && p.claims !== null ? [p.claims] : []));
  const token = tokens[0] ?? null;
  const requestIssuer = firstRequestIssuer(reading.pieces);
  const base: ClassifyContext = {
    ...options.ctx,
    presentedIssuer: options.ctx?.presentedIssuer ?? token?.iss ?? null,
    requestIssuer: options.ctx?.requestIssuer ?? requestIssuer,
  };

  const pieces = reading.pieces.map((piece) => {
    const finding = diagnosePiece(piece, base, token, options.now);
    collectPersonal(piece, personal);
    return finding;
  });
  for (const finding of pieces) collectReasonNames(finding.verdict?.evidence ?? "", personal);
  return {
    answer: combine(pieces),
    pieces,
    piecesDropped: reading.piecesDropped,
    skipped: reading.skipped,
    notes: reading.notes,
    lineCount: reading.lineCount,
    personal: [...personal].map(([value, kind]) => ({ value, kind })),
    catalogueVersion: CATALOGUE_VERSION,
  };
}

function diagnosePiece(
  piece: EvidencePiece,
  base: ClassifyContext,
  token: TokenClaims | null,
  now: number,
): PieceFinding {
  const finding = (
    understood: string,
    verdict: Classification | null,
    fill: FixFill,
    alternatives: Classification[] = [],
    decider: string | null = null,
  ): PieceFinding => ({
    kind: piece.kind,
    form:
      piece.kind === "event" || piece.kind === "admin-event" || piece.kind === "http"
        ? piece.form
        : piece.kind,
    lines: piece.lines,
    understood,
    verdict,
    alternatives,
    decider,
    fill,
  });
  switch (piece.kind) {
    case "event": {
      const e = piece.event;
      const ctx: ClassifyContext = { ...base, requestRealm: base.requestRealm ?? e.realmName ?? null };
      const fill = eventFill(e, token);
      const shown = describeEvent(e, piece.typeKnown, piece.form);
      if (piece.typeKnown && !isFailure(e.type, e.error)) return finding(`${shown}: a success`, null, fill);
      const result = piece.typeKnown
        ? single(classifyUserEvent(e, "log", ctx))
        : classifyAcrossTypes(e, typesOfFragment(e), ctx);
      const settled = settleWithToken(result, token, now);
      return finding(shown, settled.verdict, fill, settled.alternatives, settled.decider);
    }
    case "admin-event": {
      const e = piece.event;
      const shown = `admin event ${capValue(e.operationType)} on ${capValue(e.resourcePath ?? e.resourceType ?? "a resource")} (${formName(piece.form)})`;
      const verdict =
        e.error == null
          ? null
          : classify({ origin: "log", type: `ADMIN_${e.operationType}`, error: e.error }, base);
      return finding(verdict === null ? `${shown}: a success` : shown, verdict, {
        realm: null,
        clientId: e.authDetails?.clientId ?? null,
        userId: null,
        audience: null,
      });
    }
    case "access-log": {
      const r = piece.record;
      const verdict = classifyAccessLogRecord(r, base);
      const shown = `access-log line: ${r.status} on ${capValue(r.method)} ${capValue(r.path)}`;
      return finding(verdict === null ? `${shown}: not a denial` : shown, verdict, {
        realm: realmOfPath(r.path),
        clientId: r.clientId ?? token?.azp ?? null,
        userId: r.bearerSubject ?? null,
        audience: null,
      });
    }
    case "http": {
      const x = piece.exchange;
      const fill: FixFill = {
        realm: realmOfPath(x.path) ?? x.challenge?.realm ?? issuerRealm(token?.iss),
        clientId: token?.azp ?? null,
        userId: token?.sub ?? null,
        audience: null,
      };
      const ctx: ClassifyContext = {
        ...base,
        requestIssuer: issuerOfUrl(x) ?? base.requestIssuer ?? null,
      };
      const result = classifyExchange(x, ctx, token, now);
      return finding(
        describeExchange(x, piece.form),
        result.verdict,
        fill,
        result.alternatives,
        result.decider,
      );
    }
    case "token":
      return finding(describeToken(piece.claims, piece.problem, now), null, {
        realm: issuerRealm(piece.claims?.iss),
        clientId: piece.claims?.azp ?? null,
        userId: piece.claims?.sub ?? null,
        audience: null,
      });
  }
}

interface Outcome {
  verdict: Classification | null;
  alternatives: Classification[];
  decider: string | null;
}

function single(verdict: Classification | null): Outcome {
  if (verdict === null) return { verdict, alternatives: [], decider: null };
  const decider = DECIDERS[verdict.ruleId] ?? null;
  return { verdict, alternatives: [], decider };
}

/** Classifies an event under each possible type; one cause wins outright, several leave the type to decide. */
function classifyAcrossTypes(e: KeycloakUserEvent, types: readonly string[], ctx: ClassifyContext): Outcome {
  const byCause = new Map<CauseId, Classification>();
  for (const type of types) {
    const verdict = classifyUserEvent({ ...e, type }, "log", ctx);
    if (verdict === null) continue;
    const seen = byCause.get(verdict.cause);
    if (seen === undefined || verdict.confidence > seen.confidence) byCause.set(verdict.cause, verdict);
  }
  const ranked = [...byCause.values()].sort((a, b) => b.confidence - a.confidence);
  const known = ranked.filter((v) => v.cause !== "unknown");
  const list = known.length > 0 ? known : ranked;
  const [best, ...others] = list;
  if (best === undefined) return { verdict: null, alternatives: [], decider: null };
  if (types.length === 1) return single(best);
  // The type was inferred or guessed: the verdict is as sure as its weakest assumption.
  const verdict = { ...best, confidence: round(best.confidence * (others.length === 0 ? 0.9 : 0.7)) };
  return {
    verdict,
    alternatives: others,
    decider: others.length === 0 ? (DECIDERS[best.ruleId] ?? null) : TYPE_DECIDER,
  };
}

function typesOfFragment(e: KeycloakUserEvent): readonly string[] {
  const grant = e.details?.grant_type;
  const byGrant = grant === undefined ? undefined : GRANT_EVENT_TYPES[grant];
  if (byGrant !== undefined) return [byGrant];
  const auth = e.details?.auth_method;
  const byAuth = auth === undefined ? undefined : AUTH_METHOD_TYPES[auth];
  if (byAuth !== undefined) return [byAuth];
  if (e.details?.client_registration_policy !== undefined) return ["CLIENT_REGISTER_ERROR"];
  // AccessTokenIntrospectionProvider writes these reasons only for INTROSPECT_TOKEN_ERROR.
  const reason = e.details?.reason ?? "";
  if (reason.startsWith("Introspection access token for ") || reason === "Access token JWT check failed") {
    return ["INTROSPECT_TOKEN_ERROR"];
  }
  return FRAGMENT_TYPES;
}

/** An HTTP answer: the event it stands for when it names one, else the request as an access-log denial. */
function classifyExchange(
  x: HttpExchange,
  ctx: ClassifyContext,
  token: TokenClaims | null,
  now: number,
): Outcome {
  const signal = responseSignal(x);
  if (signal !== null) {
    const reason = signal.reason !== undefined ? signal.reason : reasonFromToken(token, ctx, now);
    const event = signalEvent(signal, reason, x);
    const result = classifyAcrossTypes(event, signal.types, ctx);
    if (signal.reason === undefined && reason === null && signal.types.includes("USER_INFO_REQUEST_ERROR")) {
      return { ...result, decider: TOKEN_CHECK_DECIDER };
    }
    if (signal.assumed === true && result.verdict !== null) {
      return {
        verdict: { ...result.verdict, confidence: round(result.verdict.confidence * 0.8) },
        alternatives: result.alternatives,
        decider: GRANT_DECIDER,
      };
    }
    return settleWithToken(result, token, now);
  }
  const status = x.status ?? (x.errorMessage !== null ? 400 : null);
  if (status === null || status < 400) {
    return { verdict: null, alternatives: [], decider: x.error === null ? null : URL_DECIDER };
  }
  // An exception often names the URL but not the method: each method is tried, and they must agree.
  const methods = x.method === null ? UNKNOWN_METHODS : [x.method];
  const byCause = new Map<CauseId, Classification>();
  for (const method of methods) {
    const input: ClassifyInput = {
      origin: "access-log",
      type: "HTTP_DENIAL",
      clientId: token?.azp ?? null,
      http: { method, path: x.path ?? "", status, host: x.host, origin: x.origin },
      response: { error: x.error, description: x.errorDescription, message: x.errorMessage },
    };
    const verdict = classify(input, ctx);
    const seen = byCause.get(verdict.cause);
    if (seen === undefined || verdict.confidence > seen.confidence) byCause.set(verdict.cause, verdict);
  }
  const [best, ...others] = [...byCause.values()].sort((a, b) => b.confidence - a.confidence);
  if (best === undefined) return { verdict: null, alternatives: [], decider: null };
  // Without the URL only a rule on the answer itself may conclude; path rules would be guessing.
  if (x.path === null && getRule(best.ruleId)?.match.response === undefined) {
    return { verdict: null, alternatives: [], decider: URL_DECIDER };
  }
  if (others.length > 0) return { verdict: best, alternatives: others, decider: METHOD_DECIDER };
  return single(best);
}

const UNKNOWN_METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
const METHOD_DECIDER =
  "The request's method decides (reading and changing need different roles): paste the request line or the code that sent it.";

function signalEvent(signal: ResponseSignal, reason: string | null, x: HttpExchange): KeycloakUserEvent {
  const details: Record<string, string> = Object.create(null);
  if (x.grantType !== null) details.grant_type = x.grantType;
  for (const [key, value] of Object.entries(signal.details ?? {})) details[key] = value;
  if (reason != null) details.reason = reason;
  return {
    time: 0,
    type: signal.types[0] ?? "",
    error: signal.error,
    details: Object.keys(details).length === 0 ? null : details,
  };
}

/**
 * A userinfo 401 names no reason; a token shown with it does: expired (TokenVerifier's "Token is not active"),
 * or issued under another issuer (RealmUrlCheck's "Invalid token issuer. Expected '…', but was '…'").
 */
function reasonFromToken(token: TokenClaims | null, ctx: ClassifyContext, now: number): string | null {
  if (token === null) return null;
  if (token.exp !== undefined && token.exp * 1000 <= now) return "Token is not active";
  const expected = ctx.requestIssuer;
  if (token.iss !== undefined && expected != null && token.iss !== expected) {
    return `Invalid token issuer. Expected '${expected}', but was '${token.iss}'`;
  }
  return null;
}

/** A userinfo refusal without a reason is settled by the token's scope. */
function settleWithToken(result: Outcome, token: TokenClaims | null, now: number): Outcome {
  const verdict = result.verdict;
  if (verdict === null || token === null) return result;
  if (verdict.ruleId === "userinfo-access-denied" || verdict.ruleId === "userinfo-missing-openid-scope") {
    const scopes = (token.scope ?? "").split(" ").filter(Boolean);
    if (!scopes.includes("openid")) {
      return {
        verdict: {
          ...verdict,
          confidence: Math.max(verdict.confidence, 0.95),
          evidence: `${verdict.evidence}; the token shown with it has scope "${capValue(token.scope ?? "")}", without openid`,
        },
        alternatives: result.alternatives,
        decider: null,
      };
    }
  }
  if (verdict.cause === "token-expired" && token.exp !== undefined && token.exp * 1000 <= now) {
    return {
      verdict: {
        ...verdict,
        evidence: `${verdict.evidence}; the token shown with it expired at ${new Date(token.exp * 1000).toISOString()}`,
      },
      alternatives: result.alternatives,
      decider: null,
    };
  }
  return result;
}

/** One answer: the most confident cause, with every piece that agrees and the causes still possible. */
function combine(pieces: readonly PieceFinding[]): EvidenceAnswer | null {
  let bestIndex = -1;
  for (let i = 0; i < pieces.length; i++) {
    const v = pieces[i]?.verdict;
    if (v == null || v.cause === "unknown") continue;
    const best = pieces[bestIndex]?.verdict;
    if (best == null || v.confidence > best.confidence) bestIndex = i;
  }
  if (bestIndex === -1) return null;
  const bestPiece = pieces[bestIndex] as PieceFinding;
  const best = bestPiece.verdict as Classification;
  const agreeing = pieces.flatMap((p, i) => (p.verdict?.cause === best.cause ? [i] : []));
  const alternatives = new Map<CauseId, { cause: CauseId; confidence: number; evidence: string }>();
  for (const p of pieces) {
    for (const v of [p.verdict, ...p.alternatives]) {
      if (v == null || v.cause === best.cause || v.cause === "unknown") continue;
      const seen = alternatives.get(v.cause);
      if (seen === undefined || v.confidence > seen.confidence) {
        alternatives.set(v.cause, { cause: v.cause, confidence: v.confidence, evidence: v.evidence });
      }
    }
  }
  const fill = mergeFill(agreeing.map((i) => (pieces[i] as PieceFinding).fill));
  let decider = bestPiece.decider;
  if (decider === null && [...alternatives.values()].some((a) => a.confidence >= best.confidence - 0.15)) {
    decider =
      "The pieces point to different causes: which failure is the one you are chasing? Paste that one with the lines around it.";
  }
  return {
    cause: best.cause,
    ruleId: best.ruleId,
    confidence: agreeing.length > 1 ? round(Math.min(0.99, best.confidence + 0.05)) : best.confidence,
    evidence: best.evidence,
    fix: fixPath(best.cause),
    fill,
    pieces: agreeing,
    alternatives: [...alternatives.values()].sort((a, b) => b.confidence - a.confidence),
    decider,
  };
}

function mergeFill(fills: readonly FixFill[]): FixFill {
  const first = <K extends keyof FixFill>(key: K) => fills.find((f) => f[key] !== null)?.[key] ?? null;
  return {
    realm: first("realm"),
    clientId: first("clientId"),
    userId: first("userId"),
    audience: first("audience"),
  };
}

function eventFill(e: KeycloakUserEvent, token: TokenClaims | null): FixFill {
  const realmId = e.realmId != null && !UUID.test(e.realmId) ? e.realmId : null;
  return {
    realm: e.realmName ?? realmId ?? issuerRealm(token?.iss),
    clientId: e.clientId ?? token?.azp ?? null,
    userId: e.userId ?? null,
    audience: e.details?.audience ?? null,
  };
}

const REALM_PATH = /\/realms\/([^/?#]+)/;

function realmOfPath(path: string | null | undefined): string | null {
  const m = path == null ? null : REALM_PATH.exec(path);
  return m?.[1] === undefined ? null : decodeSafe(m[1]);
}

function issuerRealm(iss: string | undefined): string | null {
  return iss === undefined ? null : (parseIssuer(iss)?.realm ?? null);
}

/** `https://host/realms/acme` of the request, when its URL is a Keycloak realm URL. */
function issuerOfUrl(x: HttpExchange): string | null {
  if (x.url === null) return null;
  const m = /^(https?:\/\/[^/]+(?:\/[^/]+)*?\/realms\/[^/?#]+)/.exec(x.url);
  return m?.[1] ?? null;
}

function firstRequestIssuer(pieces: readonly EvidencePiece[]): string | null {
  for (const p of pieces) if (p.kind === "http") return issuerOfUrl(p.exchange) ?? null;
  return null;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const FORM_NAMES: Readonly<Record<string, string>> = {
  "log-line": "a log line",
  "prefixless-line": "a log line without its timestamp",
  "wrapped-line": "a log line wrapped over several lines",
  fragment: "part of a log line",
  "json-log": "a JSON console log record",
  "event-json": "event JSON",
  "kcadm-json": "event JSON without time or realm (kcadm --fields or a copy)",
  curl: "a curl -v transcript",
  "http-response": "an HTTP response",
  "www-authenticate": "a WWW-Authenticate header",
  "error-body": "an error body",
  "status-mention": "an exception or status line",
};

function formName(form: string): string {
  return FORM_NAMES[form] ?? form;
}

function describeEvent(e: KeycloakUserEvent, typeKnown: boolean, form: string): string {
  let text = typeKnown ? capValue(e.type) : "an event of unknown type";
  if (e.error != null) text += ` with error ${capValue(e.error)}`;
  const reason = e.details?.reason;
  if (reason !== undefined) text += ` and reason "${capValue(reason)}"`;
  const where: string[] = [];
  if (e.realmName != null) where.push(`realm ${capValue(e.realmName)}`);
  if (e.clientId != null) where.push(`client ${capValue(e.clientId)}`);
  return `${text} (${formName(form)}${where.length > 0 ? `; ${where.join(", ")}` : ""})`;
}

function describeExchange(x: HttpExchange, form: string): string {
  const parts: string[] = [];
  parts.push(x.status === null ? "an HTTP error" : `HTTP ${x.status}`);
  if (x.method !== null || x.url !== null || x.path !== null) {
    parts.push(
      `from ${[x.method, x.url ?? x.path]
        .filter(Boolean)
        .map((v) => capValue(v))
        .join(" ")}`,
    );
  }
  if (x.error !== null) parts.push(`error ${capValue(x.error)}`);
  const text = x.errorMessage ?? x.errorDescription;
  if (text !== null) parts.push(`"${capValue(text)}"`);
  if (x.grantType !== null) parts.push(`grant ${capValue(x.grantType)}`);
  return `${parts.join(", ")} (${formName(form)})`;
}

function describeToken(claims: TokenClaims | null, problem: string | null, now: number): string {
  if (claims === null) return `a token that could not be read: ${capValue(problem ?? "unreadable")}`;
  const parts = ["a token (decoded where it was pasted, not stored)"];
  if (claims.iss !== undefined) parts.push(`issued by ${capValue(claims.iss)}`);
  if (claims.azp !== undefined) parts.push(`for client ${capValue(claims.azp)}`);
  if (claims.scope !== undefined) parts.push(`scope "${capValue(claims.scope)}"`);
  if (claims.exp !== undefined) {
    const at = new Date(claims.exp * 1000).toISOString();
    parts.push(claims.exp * 1000 <= now ? `expired at ${at}` : `valid until ${at}`);
  }
  return parts.join(", ");
}

function collectPersonal(piece: EvidencePiece, out: Map<string, PersonalKind>): void {
  const put = (value: string | null | undefined, kind: PersonalKind) => {
    if (value != null && value !== "" && value.length >= 2) out.set(value, kind);
  };
  if (piece.kind === "event") {
    put(piece.event.userId, "user-id");
    put(piece.event.ipAddress, "ip");
    for (const [key, value] of Object.entries(piece.event.details ?? {})) {
      const kind = PERSONAL_DETAILS[key];
      if (kind !== undefined) put(value, kind);
    }
  } else if (piece.kind === "admin-event") {
    put(piece.event.authDetails?.userId, "user-id");
    put(piece.event.authDetails?.ipAddress, "ip");
  } else if (piece.kind === "access-log") {
    put(piece.record.ipAddress, "ip");
    put(piece.record.bearerSubject, "user-id");
    put(userIdInPath(piece.record.path), "user-id");
  } else if (piece.kind === "http") {
    put(userIdInPath(piece.exchange.path), "user-id");
  } else if (piece.kind === "token") {
    put(piece.claims?.sub, "user-id");
  }
}

/** The id in an admin URL such as `/admin/realms/acme/users/<id>/execute-actions-email`. */
function userIdInPath(path: string | null | undefined): string | null {
  const m = path == null ? null : /\/users\/([^/?#]{2,})/.exec(path);
  return m?.[1] ?? null;
}

/** Keycloak's reasons quote user names ("User 'jdoe' disabled"): those are personal too. */
function collectReasonNames(text: string, out: Map<string, PersonalKind>): void {
  for (const m of text.matchAll(/User '([^']{1,200})'/g)) if (m[1] !== undefined) out.set(m[1], "username");
}

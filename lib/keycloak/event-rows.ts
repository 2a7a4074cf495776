import { createHash } from "node:crypto";
import type { EventOrigin, KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { isFailure } from "@/lib/keycloak/types";

/**
 * Turning untrusted events into rows. Keycloak (or anything pretending to be it, or a log line) may send NUL
 * bytes, lone surrogates, megabyte-long details, HTML and values of the wrong type. Rows keep every event
 * whose time and type are usable; strings are made storable (PostgreSQL text and jsonb reject NUL: it becomes
 * U+FFFD) and capped; a cap that bites leaves a `_truncated` marker in the details.
 */
export const LIMITS = {
  shortText: 512,
  detailValue: 8_192,
  detailsTotal: 65_536,
  detailKeys: 200,
  representation: 262_144,
} as const;

export interface UserEventRow {
  sourceId: string;
  realm: string;
  id: string;
  time: number;
  type: string;
  realmId: string | null;
  clientId: string | null;
  userId: string | null;
  sessionId: string | null;
  ipAddress: string | null;
  error: string | null;
  details: Record<string, string> | null;
  isFailure: boolean;
  username: string | null;
  cause: string | null;
  ruleId: string | null;
  confidence: number | null;
  evidence: string | null;
  catalogueVersion: number | null;
  origin: EventOrigin;
  httpMethod: string | null;
  httpPath: string | null;
  httpStatus: number | null;
}

export interface AdminEventRow {
  sourceId: string;
  realm: string;
  id: string;
  time: number;
  realmId: string | null;
  authRealmId: string | null;
  authClientId: string | null;
  authUserId: string | null;
  authIpAddress: string | null;
  operationType: string;
  resourceType: string | null;
  resourcePath: string | null;
  representation: string | null;
  error: string | null;
  details: Record<string, string> | null;
  origin: EventOrigin;
}

export type Rejected = { rejected: string };

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_G = new RegExp(LONE_SURROGATE.source, "g");

export function cleanText(value: unknown, max: number = LIMITS.shortText): string | null {
  if (value === null || value === undefined) return null;
  let s =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);
  if (s === "null" && typeof value === "string") return null; // jboss-logging prints missing values as null
  if (s.length > max) s = s.slice(0, max);
  // Lone surrogates (from a cut or a hostile string) would make jsonb reject the row: replace them too.
  if (LONE_SURROGATE.test(s)) s = s.replace(LONE_SURROGATE_G, "\uFFFD");
  return s.includes("\u0000") ? s.replace(NUL, "\uFFFD") : s;
}

export function cleanDetails(value: unknown): Record<string, string> | null {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return null;
  const out: Record<string, string> = {};
  let total = 0;
  let truncated = false;
  let keys = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (++keys > LIMITS.detailKeys) {
      truncated = true;
      break;
    }
    const key = cleanText(k, 128) ?? "";
    const raw = typeof v === "string" ? v : JSON.stringify(v);
    let val = cleanText(raw, LIMITS.detailValue) ?? "";
    if (raw.length > LIMITS.detailValue) truncated = true;
    if (total + val.length > LIMITS.detailsTotal) {
      val = val.slice(0, Math.max(0, LIMITS.detailsTotal - total));
      truncated = true;
    }
    total += key.length + val.length;
    out[key] = val;
    if (total >= LIMITS.detailsTotal) break;
  }
  if (truncated)
    out._truncated = "realmwatch shortened these details: a value or the whole map exceeded its size limit";
  return keys === 0 ? null : out;
}

function validTime(value: unknown): number | null {
  const t = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof t !== "number" || !Number.isFinite(t)) return null;
  // Keycloak stamps epoch milliseconds; anything before 2000 or far in the future is not an event time.
  if (t < 946_684_800_000 || t > Date.now() + 366 * 86_400_000) return null;
  return Math.trunc(t);
}

/**
 * The content fingerprint of an event without an id (Keycloak before 26.2, log lines): the fields of
 * keycloak-events.md section 9 point 6, with details in key order. Same event, same fingerprint.
 */
export function userEventFingerprint(
  e: Pick<
    UserEventRow,
    "time" | "type" | "realmId" | "clientId" | "userId" | "sessionId" | "ipAddress" | "error" | "details"
  >,
): string {
  const h = createHash("sha256");
  h.update(
    `${e.time}\u0001${e.type}\u0001${e.realmId ?? ""}\u0001${e.clientId ?? ""}\u0001${e.userId ?? ""}`,
  );
  h.update(`\u0001${e.sessionId ?? ""}\u0001${e.ipAddress ?? ""}\u0001${e.error ?? ""}`);
  return fingerprintOf(h, e.details);
}

/** Details in key order close every fingerprint: the same event always hashes the same. */
function fingerprintOf(h: ReturnType<typeof createHash>, details: Record<string, string> | null): string {
  if (details) for (const k of Object.keys(details).sort()) h.update(`\u0002${k}\u0003${details[k]}`);
  return `fp:${h.digest("base64url").slice(0, 32)}`;
}

/** What every event needs before anything else: to be an object, with a usable time. */
function recordAndTime(raw: unknown): { r: Record<string, unknown>; time: number } | Rejected {
  if (raw === null || typeof raw !== "object") return { rejected: "not an object" };
  const r = raw as Record<string, unknown>;
  const time = validTime(r.time);
  if (time === null) return { rejected: `unusable time ${cleanText(r.time, 40)}` };
  return { r, time };
}

export function toUserEventRow(
  raw: KeycloakUserEvent | Record<string, unknown>,
  ctx: { sourceId: string; realm: string; origin: EventOrigin },
): UserEventRow | Rejected {
  const start = recordAndTime(raw);
  if ("rejected" in start) return start;
  const { r, time } = start;
  const type = cleanText(r.type, 128);
  if (!type) return { rejected: "missing type" };
  const details = cleanDetails(r.details);
  const base = {
    time,
    type,
    realmId: cleanText(r.realmId),
    clientId: cleanText(r.clientId),
    userId: cleanText(r.userId),
    sessionId: cleanText(r.sessionId),
    ipAddress: cleanText(r.ipAddress, 128),
    error: cleanText(r.error, 256),
    details,
  };
  const id = cleanText(r.id, 128) ?? userEventFingerprint(base);
  return {
    sourceId: ctx.sourceId,
    realm: ctx.realm,
    id,
    ...base,
    isFailure: isFailure(type, base.error),
    username: details?.username ?? null,
    cause: null,
    ruleId: null,
    confidence: null,
    evidence: null,
    catalogueVersion: null,
    origin: ctx.origin,
    httpMethod: null,
    httpPath: null,
    httpStatus: null,
  };
}

export function adminEventFingerprint(
  e: Omit<AdminEventRow, "sourceId" | "realm" | "id" | "origin">,
): string {
  const h = createHash("sha256");
  h.update(
    [
      e.time,
      e.realmId,
      e.authRealmId,
      e.authClientId,
      e.authUserId,
      e.authIpAddress,
      e.operationType,
      e.resourceType,
      e.resourcePath,
      e.error,
    ].join("\u0001"),
  );
  h.update(`\u0001${e.representation ?? ""}`);
  return fingerprintOf(h, e.details);
}

export function toAdminEventRow(
  raw: KeycloakAdminEvent | Record<string, unknown>,
  ctx: { sourceId: string; realm: string; origin: EventOrigin },
): AdminEventRow | Rejected {
  const start = recordAndTime(raw);
  if ("rejected" in start) return start;
  const { r, time } = start;
  const operationType = cleanText(r.operationType, 64);
  if (!operationType) return { rejected: "missing operationType" };
  const auth = (r.authDetails && typeof r.authDetails === "object" ? r.authDetails : {}) as Record<
    string,
    unknown
  >;
  const base = {
    time,
    realmId: cleanText(r.realmId),
    authRealmId: cleanText(auth.realmId),
    authClientId: cleanText(auth.clientId),
    authUserId: cleanText(auth.userId),
    authIpAddress: cleanText(auth.ipAddress, 128),
    operationType,
    resourceType: cleanText(r.resourceType, 128),
    resourcePath: cleanText(r.resourcePath, 2048),
    representation: cleanText(r.representation, LIMITS.representation),
    error: cleanText(r.error, 256),
    details: cleanDetails(r.details),
  };
  return {
    sourceId: ctx.sourceId,
    realm: ctx.realm,
    id: cleanText(r.id, 128) ?? adminEventFingerprint(base),
    ...base,
    origin: ctx.origin,
  };
}

export function isRejected<T>(x: T | Rejected): x is Rejected {
  return typeof x === "object" && x !== null && "rejected" in x;
}

/** A user_events row as postgres.js returns it, back into the writer's shape (re-classification, benchmarks). */
export function userEventRowFromDb(r: Record<string, unknown>): UserEventRow {
  const text = (v: unknown) => (v as string | null | undefined) ?? null;
  return {
    sourceId: r.source_id as string,
    realm: r.realm as string,
    id: r.id as string,
    time: (r.time as Date).getTime(),
    type: r.type as string,
    realmId: text(r.realm_id),
    clientId: text(r.client_id),
    userId: text(r.user_id),
    sessionId: text(r.session_id),
    ipAddress: text(r.ip_address),
    error: text(r.error),
    details: (r.details as Record<string, string> | null | undefined) ?? null,
    isFailure: r.is_failure as boolean,
    username: text(r.username),
    cause: text(r.cause),
    ruleId: text(r.rule_id),
    confidence: (r.confidence as number | null | undefined) ?? null,
    evidence: text(r.evidence),
    catalogueVersion: (r.catalogue_version as number | null | undefined) ?? null,
    origin: r.origin as EventOrigin,
    httpMethod: text(r.http_method),
    httpPath: text(r.http_path),
    httpStatus: (r.http_status as number | null | undefined) ?? null,
  };
}

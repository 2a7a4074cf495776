import type postgres from "postgres";
import { type CauseId, isCauseId } from "@/lib/classify/causes";
import type { ClaimsSummary, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { originOf as originOfUri } from "@/lib/diagnose/client-for-origins";
import { requiredAdminRole } from "@/lib/keycloak/realm-management-roles";
import { lookupUsernames, userKey } from "@/lib/queries/names/lookup-usernames";
import type { EvidenceValue } from "@/lib/queries/patterns/pattern-evidence";
import { AppError } from "@/lib/server/errors";

/** What the checks of a pattern are built from: the stored pattern and the details of its newest failures. */
export interface PatternForChecks {
  realm: string;
  clientId: string | null;
  userId: string | null;
  username: string | null;
  /** Its failures' values, most frequent first per key (patterns.evidence_values). */
  values: readonly EvidenceValue[];
  /** The details of its sample failures (the newest ones). */
  samples: readonly Record<string, unknown>[];
}

/** Keycloak's reason when the exchanging client is not in the subject token's aud (StandardTokenExchangeProvider). */
const NOT_IN_AUDIENCE = "client is not within the token audience";
const USERINFO_PATH = /\/protocol\/openid-connect\/userinfo$/;
/** UserInfoEndpoint's reason (and WWW-Authenticate error_description) for a token issued without openid. */
const MISSING_OPENID = "Missing openid scope";
/** What the access-log merge lends a Keycloak event: the browser's Origin (link-copies ENRICHMENT_KEYS). */
const HTTP_ORIGIN = "realmwatch.http_origin";
const MAX_VALUES = 5;

const originOf = (value: unknown): string | null => (typeof value === "string" ? originOfUri(value) : null);

/** "client:role" or "realm:role" of a report's required roles. */
function splitRole(value: string): { role: string; roleClientId?: string } {
  const at = value.lastIndexOf(":");
  const owner = value.slice(0, at);
  const role = value.slice(at + 1);
  return owner === "realm" ? { role } : { role, roleClientId: owner };
}

/** The failing token's claims, from what the resource-server reports carried (token_*), if any. */
function seenClaims(all: (key: string) => string[]): ClaimsSummary | undefined {
  const roles = all("token_role");
  const aud = all("token_aud");
  const scope = all("token_scope")[0];
  if (roles.length === 0 && aud.length === 0 && scope === undefined) return undefined;
  const clientRoles: Record<string, string[]> = {};
  const realmRoles: string[] = [];
  for (const value of roles) {
    const { role, roleClientId } = splitRole(value);
    if (roleClientId) clientRoles[roleClientId] = [...(clientRoles[roleClientId] ?? []), role];
    else realmRoles.push(role);
  }
  return { aud, scope: (scope ?? "").split(/\s+/).filter(Boolean), realmRoles, clientRoles };
}

/**
 * The live-check context of a pattern, from what its failures carry and nothing else: the role a report or an
 * admin REST path says was required, the audience, the scope requested, the endpoint, the browser origins,
 * the redirect URIs sent and the issuers of the failing tokens.
 */
export function checkContextOf(p: PatternForChecks): LiveCheckContext {
  const all = (key: string) => p.values.filter(([k]) => k === key).map(([, v]) => v);
  const first = (key: string) => all(key)[0];
  const ctx: LiveCheckContext = { realm: p.realm };
  if (p.clientId) ctx.clientId = p.clientId;
  if (p.userId) ctx.userId = p.userId;
  if (p.userId && p.username) ctx.username = p.username;

  const endpoints = all("endpoint");
  const required = first("required_role");
  if (required) Object.assign(ctx, splitRole(required));
  else {
    // An admin REST 403 (access log only): the path says which realm-management role was missing.
    for (const endpoint of endpoints) {
      const [method = "", path = ""] = endpoint.split(" ");
      const admin = requiredAdminRole(method, path);
      if (!admin) continue;
      ctx.role = admin.role;
      ctx.roleClientId = "realm-management";
      break;
    }
  }

  if (all("reason").includes(NOT_IN_AUDIENCE) && p.clientId) {
    // Standard token exchange: the exchanging client must be in aud of the subject token, which the client
    // named by subject_token_client_id was issued: that client's tokens lack the exchanging one.
    const subjectClient = first("subject_token_client_id");
    if (subjectClient) {
      ctx.audience = p.clientId;
      ctx.clientId = subjectClient;
    }
  } else {
    const audience = first("required_audience");
    if (audience) ctx.audience = audience;
  }

  const scope = first("scope") ?? first("token_scope");
  if (scope) ctx.scope = scope;
  if (endpoints.some((e) => USERINFO_PATH.test(e.split(" ")[1] ?? ""))) ctx.endpoint = "userinfo";
  // insufficient_scope from an API is about the API's own scopes; from userinfo it means openid was not requested.
  const userinfoRefusal = ctx.endpoint === "userinfo" && all("error").includes("insufficient_scope");
  if (all("reason").includes(MISSING_OPENID) || userinfoRefusal) {
    ctx.endpoint = "userinfo";
    ctx.missingScopes = ["openid"];
  } else if (required || first("required_audience")) ctx.endpoint = "api";

  // A browser sends Origin on a cross-origin request; an access log keeps the Referer, whose origin is the page's.
  const origins = new Set(
    all("origin")
      .map(originOf)
      .filter((o): o is string => o !== null),
  );
  for (const details of p.samples) {
    const origin = originOf(details.origin) ?? originOf(details[HTTP_ORIGIN]) ?? originOf(details.referer);
    if (origin) origins.add(origin);
  }
  if (origins.size > 0) ctx.origins = [...origins].slice(0, MAX_VALUES);
  const redirectUris = all("redirect_uri");
  if (redirectUris.length > 0) ctx.redirectUris = redirectUris.slice(0, MAX_VALUES);
  const issuers = all("token_iss");
  if (issuers.length > 0) ctx.issuers = issuers.slice(0, MAX_VALUES);
  const claims = seenClaims(all);
  if (claims) ctx.seenClaims = claims;
  return ctx;
}

export interface CheckTarget {
  sourceId: string;
  cause: CauseId;
  context: LiveCheckContext;
  /** What the failures carried, with counts: the fix page shows it as the evidence. */
  values: readonly EvidenceValue[];
  /** How many failures the values were counted over. */
  failures: number;
}

/** The username realmwatch knows for a user id (from its events), or null. */
export async function usernameFor(
  sql: postgres.Sql,
  key: { sourceId: string; realm: string; userId: string | null },
): Promise<string | null> {
  if (!key.userId) return null;
  const k = { sourceId: key.sourceId, realm: key.realm, userId: key.userId };
  return (await lookupUsernames(sql, [k])).get(userKey(k)) ?? null;
}

/** A stored pattern's source, cause and check context; 404 for an unknown id. */
export async function loadPatternCheckContext(sql: postgres.Sql, id: string): Promise<CheckTarget> {
  const [row] = await sql<
    {
      source_id: string;
      realm: string;
      cause: string;
      client_id: string | null;
      user_id: string | null;
      event_count: number;
      evidence_values: EvidenceValue[] | null;
      sample_event_ids: string[];
      sample_event_times: Date[];
    }[]
  >`
    select source_id, realm, cause, client_id, user_id, event_count, evidence_values, sample_event_ids,
           sample_event_times
    from patterns where id = ${id}::uuid`;
  if (!row) throw new AppError("not_found", "No such pattern: it may have been merged or removed.");
  if (!isCauseId(row.cause)) throw new AppError("bad_request", `Pattern ${id} has no known cause.`);
  const samples =
    row.sample_event_ids.length === 0
      ? []
      : await sql<{ details: Record<string, unknown> | null }[]>`
          select details from user_events
          where source_id = ${row.source_id}::uuid and realm = ${row.realm}
            and time = any(${row.sample_event_times.map((t) => t.toISOString())}::timestamptz[])
            and id = any(${row.sample_event_ids}::text[])`;
  const values = row.evidence_values ?? [];
  const context = checkContextOf({
    realm: row.realm,
    clientId: row.client_id,
    userId: row.user_id,
    username: await usernameFor(sql, { sourceId: row.source_id, realm: row.realm, userId: row.user_id }),
    values,
    samples: samples.flatMap((s) => (s.details ? [s.details] : [])),
  });
  return { sourceId: row.source_id, cause: row.cause, context, values, failures: row.event_count };
}

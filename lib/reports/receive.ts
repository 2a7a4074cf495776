import { createHash, randomBytes } from "node:crypto";
import type postgres from "postgres";
import { z } from "zod";
import { decodeJwtClaims, JwtDecodeError, type TokenClaims } from "@/lib/classify/decode-jwt-claims";
import { AppError } from "@/lib/errors";
import { classifyReport } from "@/lib/ingest/classify-row";
import { cleanText, type UserEventRow } from "@/lib/ingest/rows";
import { writeUserEvents } from "@/lib/ingest/write-events";
import { openSecret, sealSecret } from "@/lib/security/secret-box";
import { REPLAY_WINDOW_MS, verifyReportSignature } from "./signature";

/**
 * The receiving side of resource-server reports. Order matters for safety: the signature is checked before the
 * body is even parsed; the token is decoded to the few claims a diagnosis needs and then dropped (neither the
 * token nor its signature is stored or logged); the nonce is recorded in the same transaction as the event, so
 * a replay is rejected and a rejected replay stores nothing.
 */
const names = z.array(z.string().min(1).max(256)).max(100);
export const reportBody = z
  .object({
    realm: z.string().min(1).max(256).optional(),
    method: z.string().min(1).max(16),
    path: z.string().min(1).max(2048),
    status: z.number().int().min(100).max(599),
    required: z
      .object({
        realmRoles: names.optional(),
        clientRoles: z
          .array(z.object({ clientId: z.string().min(1).max(256), roles: names }))
          .max(50)
          .optional(),
        audience: names.optional(),
        scopes: names.optional(),
      })
      .strict()
      .optional(),
    token: z
      .string()
      .max(32 * 1024)
      .optional(),
    time: z.number().int().positive().optional(),
  })
  .strict();

export type ReportBody = z.infer<typeof reportBody>;

export function hashReportKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new report key for a source: stored hashed and sealed; returned once. */
export async function createReportKey(sql: postgres.Sql, sourceId: string): Promise<string> {
  const key = `rwk_${randomBytes(32).toString("base64url")}`;
  const updated = await sql`
    update sources set report_key_hash = ${hashReportKey(key)}, report_key_cipher = ${sealSecret(key)}, updated_at = now()
    where id = ${sourceId}`;
  if (updated.count === 0) throw new AppError("not_found", "No such source.");
  return key;
}

export interface ReceivedReport {
  stored: boolean;
  cause: string;
  evidence: string;
}

export async function receiveReport(
  sql: postgres.Sql,
  headers: {
    source?: string | null;
    timestamp?: string | null;
    nonce?: string | null;
    signature?: string | null;
  },
  rawBody: string,
  now = Date.now(),
): Promise<ReceivedReport> {
  const sourceId = headers.source ?? "";
  if (!/^[0-9a-f-]{36}$/i.test(sourceId))
    throw new AppError("unauthorized", "X-Realmwatch-Source must name a source id.");
  const [source] = await sql<{ report_key_cipher: string | null }[]>`
    select report_key_cipher from sources where id = ${sourceId}`;
  if (!source?.report_key_cipher)
    throw new AppError("unauthorized", "Unknown source, or it has no report key.");
  const check = verifyReportSignature(openSecret(source.report_key_cipher), headers, rawBody, now);
  if (!check.ok) throw new AppError("unauthorized", `Report rejected: ${check.reason}.`);

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("bad_request", "The report body is not JSON.");
  }
  const parsed = reportBody.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      "bad_request",
      `Invalid report: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const body = parsed.data;
  let claims: TokenClaims = {};
  if (body.token) {
    try {
      claims = decodeJwtClaims(body.token);
    } catch (err) {
      if (!(err instanceof JwtDecodeError)) throw err;
      throw new AppError("bad_request", `The token could not be decoded: ${err.message}`);
    }
  }
  const realm = body.realm ?? realmFromIssuer(claims.iss);
  if (!realm)
    throw new AppError("bad_request", "Name the realm (body.realm) or send a token whose iss names it.");

  const time = body.time && Math.abs(body.time - now) < 7 * 86_400_000 ? body.time : now;
  const verdict = classifyReport({
    method: body.method,
    path: body.path,
    status: body.status,
    time,
    required: body.required ?? {},
    claims,
  });
  const details: Record<string, string> = {};
  if (body.required) details.required = JSON.stringify(body.required);
  const kept = summarizeClaims(claims);
  if (kept) details.token_claims = kept;
  const row: UserEventRow = {
    sourceId,
    realm,
    id: `rs:${check.nonce}`,
    time,
    type: "HTTP_DENIAL",
    realmId: null,
    clientId: cleanText(claims.azp),
    userId: cleanText(claims.sub),
    sessionId: null,
    ipAddress: null,
    error: body.status === 401 ? "unauthorized" : "forbidden",
    details,
    isFailure: true,
    username: null,
    cause: verdict.cause,
    ruleId: verdict.ruleId,
    confidence: verdict.confidence,
    evidence: verdict.evidence,
    catalogueVersion: verdict.catalogueVersion,
    origin: "report",
    httpMethod: cleanText(body.method, 16),
    httpPath: cleanText(body.path, 2048),
    httpStatus: body.status,
  };
  await writeUserEvents(sql, [row], {
    mayExist: true,
    alongside: async (tx) => {
      const [fresh] = await tx`
        insert into report_nonces (source_id, nonce) values (${sourceId}, ${check.nonce})
        on conflict do nothing returning nonce`;
      if (!fresh) throw new AppError("conflict", "Report rejected: this nonce was already used (a replay).");
      await tx`delete from report_nonces where received_at < now() - make_interval(secs => ${(2 * REPLAY_WINDOW_MS) / 1000})`;
    },
  });
  return { stored: true, cause: verdict.cause, evidence: verdict.evidence };
}

function realmFromIssuer(iss: string | undefined): string | null {
  const m = /\/realms\/([^/?#]+)\/?$/.exec(iss ?? "");
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

/** The claims kept with the event: who, for whom, what it carried. Never the token itself. */
function summarizeClaims(c: TokenClaims): string | null {
  const kept = {
    iss: c.iss,
    azp: c.azp,
    aud: c.aud,
    exp: c.exp,
    iat: c.iat,
    scope: c.scope,
    realm_roles: c.realm_access?.roles,
    client_roles: c.resource_access
      ? Object.fromEntries(Object.entries(c.resource_access).map(([k, v]) => [k, v.roles]))
      : undefined,
  };
  const s = JSON.stringify(kept);
  return s === "{}" ? null : s.slice(0, 8000);
}

import { z } from "zod";
import { classifyReport } from "@/lib/ingest/write/classify-row";
import { cleanText, type UserEventRow } from "@/lib/keycloak/event-rows";
import { decodeJwtClaims, JwtDecodeError, type TokenClaims } from "@/lib/keycloak/jwt";
import { AppError } from "@/lib/server/errors";

/**
 * A resource-server report (already authenticated) as the user event it is stored as: the body checked, the
 * token decoded to the few claims a diagnosis needs and dropped, the denial classified. Pure: no storage.
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

const WEEK_MS = 7 * 86_400_000;

export interface ReportRow {
  row: UserEventRow;
  verdict: ReturnType<typeof classifyReport>;
}

/** `signedAt` is the signed timestamp: the event's time when the body has none (or one far from it). */
export function reportRow(sourceId: string, nonce: string, signedAt: number, rawBody: string): ReportRow {
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

  // The time comes from signed input only, so a replay has the same id and time as the stored row: the writer
  // finds it (it looks for ids within the batch's time span) and the nonce check answers 409. The time is part
  // of the id so that a nonce reused at another time never meets its earlier row in COPY.
  const time = body.time && Math.abs(body.time - signedAt) < WEEK_MS ? body.time : signedAt;
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
    id: `rs:${nonce}:${time}`,
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
  return { row, verdict };
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

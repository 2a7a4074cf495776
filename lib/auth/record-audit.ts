import type postgres from "postgres";
import { routeAccessFor } from "@/lib/auth/route-access";
import { SIGNED_OUT_VIEWER, type Viewer } from "@/lib/auth/viewer";
import { clientAddress } from "@/lib/server/client-address";
import { getEnv } from "@/lib/server/env";
import { redact } from "@/lib/server/redact";

/** An admin action worth keeping: `action` is a stable verb ("source.update"), `target` what it touched. */
export interface AuditEntry {
  viewer: Viewer;
  action: string;
  target?: string;
  /** The request it answers: its client address is recorded, and the route's own audit row is not added. */
  request?: Request;
  details?: Record<string, unknown>;
}

const recorded = new WeakSet<Request>();

/** Writes one audit log row; details are redacted first, so a secret in a form never lands in the table. */
export async function recordAudit(sql: postgres.Sql, entry: AuditEntry, now = new Date()): Promise<void> {
  const details = entry.details ? (redact(entry.details) as Record<string, unknown>) : null;
  const ipAddress = entry.request
    ? clientAddress(entry.request.headers, getEnv().REALMWATCH_TRUST_PROXY)
    : null;
  if (entry.request) recorded.add(entry.request);
  await sql`
    insert into audit_log (time, actor, role, action, target, ip_address, details)
    values (${now}, ${entry.viewer.name}, ${entry.viewer.role}, ${entry.action}, ${entry.target ?? null},
            ${ipAddress}, ${details === null ? null : sql.json(details as postgres.JSONValue)})`;
}

const CHANGES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** POST routes that change nothing: analyses of what the caller sends (a token is never stored or logged). */
const READ_ONLY_POSTS = ["/api/token", "/api/diagnose"];

/**
 * Every change made through the API is audited at the one place all handlers go through (route()): who, from
 * which address, what (method and path), and the answer's status, refusals included. Handlers that write a
 * row of their own (with a verb and details) pass the request, and this one is then not added. Reads are not
 * audited; public routes authenticate by signature and record what they receive elsewhere.
 */
export async function auditChange(
  /** The database, asked for only when the request is one to audit. */
  sql: () => postgres.Sql,
  request: Request,
  viewer: Viewer | undefined,
  response: Response,
): Promise<void> {
  if (!CHANGES.has(request.method.toUpperCase()) || recorded.has(request)) return;
  if (!viewer || viewer === SIGNED_OUT_VIEWER) return;
  const url = new URL(request.url);
  if (routeAccessFor(url.pathname, request.method) === "public") return;
  if (READ_ONLY_POSTS.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))) return;
  await recordAudit(sql(), {
    viewer,
    action: `${request.method.toUpperCase()} ${url.pathname}`,
    request,
    details: { status: response.status },
  });
}

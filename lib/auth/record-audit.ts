import "server-only";
import type postgres from "postgres";
import type { Viewer } from "@/lib/auth/viewer";
import { redact } from "@/lib/server/redact";

/** An admin action worth keeping: `action` is a stable verb ("source.update"), `target` what it touched. */
export interface AuditEntry {
  viewer: Viewer;
  action: string;
  target?: string;
  ipAddress?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit log row; details are redacted first, so a secret in a form never lands in the table. */
export async function recordAudit(sql: postgres.Sql, entry: AuditEntry, now = new Date()): Promise<void> {
  const details = entry.details ? (redact(entry.details) as Record<string, unknown>) : null;
  await sql`
    insert into audit_log (time, actor, role, action, target, ip_address, details)
    values (${now}, ${entry.viewer.name}, ${entry.viewer.role}, ${entry.action}, ${entry.target ?? null},
            ${entry.ipAddress ?? null}, ${details === null ? null : sql.json(details as postgres.JSONValue)})`;
}

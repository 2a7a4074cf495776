import type postgres from "postgres";
import { maskPersonal, maskPersonalDetails } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import type { AdminEventDbRow } from "@/lib/queries/events/admin-event-record";
import { fetchKeysetPage, type KeysetPage } from "@/lib/queries/events/keyset-page";
import { ADMIN_EVENT_COLUMNS, type AdminEventScope } from "@/lib/queries/events/list-admin-events";
import { USER_EVENT_COLUMNS, type UserEventScope } from "@/lib/queries/events/list-user-events";
import { stringRecord } from "@/lib/queries/events/string-record";
import type { UserEventDbRow } from "@/lib/queries/events/user-event-record";
import { csvLine } from "@/lib/screens/export/csv";
import {
  ADMIN_EXPORT_FIELDS,
  adminExportRecord,
  USER_EXPORT_FIELDS,
  userExportRecord,
} from "@/lib/screens/export/records";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};

/** Rows read per step: memory stays at one step's rows whatever the size of the export. */
export const EXPORT_PAGE_SIZE = 2_000;

/**
 * The whole filtered set, newest first, as CSV or JSON lines: Keycloak's field names and order first, then
 * realmwatch's. It walks the same keyset pages as the explorer (so it holds exactly what paging through the
 * explorer shows), one page per step, and yields each page as one text chunk. Personal values are masked for
 * the role, as the explorer shows them.
 */
export async function* exportUserEvents(
  sql: postgres.Sql,
  role: Role,
  scope: UserEventScope,
  format: ExportFormat,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<string> {
  if (format === "csv") yield csvLine(USER_EXPORT_FIELDS);
  for await (const rows of keysetWalk<UserEventDbRow>(sql, "user", scope, pageSize)) {
    let chunk = "";
    for (const row of rows) {
      const rec = userExportRecord({
        ...row,
        username: maskPersonal(row.username, "username", role),
        ip_address: maskPersonal(row.ip_address, "ip", role),
        details: maskPersonalDetails(stringRecord(row.details), role),
      });
      chunk += format === "csv" ? csvLine(USER_EXPORT_FIELDS.map((f) => rec[f])) : `${JSON.stringify(rec)}\n`;
    }
    yield chunk;
  }
}

export async function* exportAdminEvents(
  sql: postgres.Sql,
  role: Role,
  scope: AdminEventScope,
  format: ExportFormat,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<string> {
  if (format === "csv") yield csvLine(ADMIN_EXPORT_FIELDS);
  for await (const rows of keysetWalk<AdminEventDbRow>(sql, "admin", scope, pageSize)) {
    let chunk = "";
    for (const row of rows) {
      const rec = adminExportRecord({
        ...row,
        auth_ip_address: maskPersonal(row.auth_ip_address, "ip", role),
      });
      chunk +=
        format === "csv" ? csvLine(ADMIN_EXPORT_FIELDS.map((f) => rec[f])) : `${JSON.stringify(rec)}\n`;
    }
    yield chunk;
  }
}

async function* keysetWalk<Row extends UserEventDbRow | AdminEventDbRow>(
  sql: postgres.Sql,
  kind: "user" | "admin",
  scope: UserEventScope | AdminEventScope,
  pageSize: number,
): AsyncGenerator<Row[]> {
  const table = kind === "user" ? "user_events" : "admin_events";
  const columns = kind === "user" ? USER_EVENT_COLUMNS(sql) : ADMIN_EVENT_COLUMNS(sql);
  let after: string | null = null;
  do {
    const page: KeysetPage<Row> = await fetchKeysetPage<Row>(
      sql,
      table,
      columns,
      scope.partitions,
      scope.conditions,
      {
        limit: pageSize,
        after,
      },
    );
    if (page.rows.length > 0) yield page.rows;
    after = page.older;
  } while (after);
}

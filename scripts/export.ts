/**
 * npm run export -- --realm <name> [--kind user|admin] [--format jsonl|csv] [--source <name>]
 * Writes every stored event of a realm to stdout, oldest first, Keycloak's fields first (id, time, type,
 * clientId, userId, ...), then realmwatch's (origin, cause, ruleId, confidence, evidence). Streams with a
 * cursor, so memory stays flat whatever the size. CSV cells that a spreadsheet would run as a formula are
 * prefixed with a quote.
 */

import { resolveDatabase } from "@/lib/db/database";
import { createSql } from "@/lib/db/sql";
import type { AdminEventDbRow } from "@/lib/queries/events/admin-event-record";
import { csvLine } from "@/lib/screens/export/csv";
import {
  ADMIN_EXPORT_FIELDS,
  adminExportRecord,
  USER_EXPORT_FIELDS,
  userExportRecord,
} from "@/lib/screens/export/records";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const realm = arg("realm");
const kind = arg("kind") ?? "user";
const format = arg("format") ?? "jsonl";
const sourceName = arg("source");
if (!realm || !["user", "admin"].includes(kind) || !["jsonl", "csv"].includes(format)) {
  console.error(
    "usage: npm run -s export -- --realm <name> [--kind user|admin] [--format jsonl|csv] [--source <name>]",
  );
  process.exit(2);
}

const db = await resolveDatabase();
const sql = createSql(db.url, 2);
const out = process.stdout;
const write = (s: string) =>
  out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
let count = 0;
try {
  const sourceFilter = sourceName
    ? sql`and source_id = (select id from sources where name = ${sourceName})`
    : sql``;
  const fields = kind === "user" ? USER_EXPORT_FIELDS : ADMIN_EXPORT_FIELDS;
  if (format === "csv") await write(csvLine(fields));
  const cursor =
    kind === "user"
      ? sql`select * from user_events where realm = ${realm} ${sourceFilter} order by time, id`.cursor(2000)
      : sql`select * from admin_events where realm = ${realm} ${sourceFilter} order by time, id`.cursor(2000);
  for await (const rows of cursor) {
    let chunk = "";
    for (const row of rows) {
      const rec: Record<string, unknown> =
        kind === "user" ? userExportRecord(row) : adminExportRecord(row as unknown as AdminEventDbRow);
      chunk += format === "csv" ? csvLine(fields.map((f) => rec[f])) : `${JSON.stringify(rec)}\n`;
      count++;
    }
    await write(chunk);
  }
  process.stderr.write(`exported ${count} ${kind} events of realm ${realm}\n`);
} finally {
  await sql.end({ timeout: 5 });
  await db.stop();
}

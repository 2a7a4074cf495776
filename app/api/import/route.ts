import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { importLog } from "@/lib/ingest/import/import-log";
import { importQuery } from "@/lib/ingest/import/import-query";
import { textLogBody } from "@/lib/ingest/import/text-log-body";
import { IMPORT_MAX_BYTES, IMPORT_MAX_TEXT_BYTES } from "@/lib/server/request-limits";
import { resolveImportSource } from "@/lib/sources/import-source";

export const dynamic = "force-dynamic";

/**
 * POST /api/import?source=&realm=&tz=&date= with the log file as the body (plain or gzip). The body is read
 * as a stream and written in atomic batches, so a file of any size imports in bounded memory; the answer is
 * the import report: counts, skipped lines with their numbers and reasons, and the time assumption made.
 */
export const POST = route({ query: importQuery }, async ({ query, request }) => {
  const sql = getSql();
  const source = await resolveImportSource(sql, query.source);
  const input = await textLogBody(request.body, IMPORT_MAX_BYTES);
  const report = await importLog(sql, input, {
    maxTextBytes: IMPORT_MAX_TEXT_BYTES,
    sourceId: source.id,
    defaultRealm: query.realm,
    timeZone: query.tz,
    defaultDate: query.date,
  });
  return { source, report };
});

import { getViewerOrThrow } from "@/lib/auth/get-viewer";
import { getSql } from "@/lib/db/sql";
import { importLog } from "@/lib/ingest/import/import-log";
import { importQuery } from "@/lib/ingest/import/import-query";
import { textLogBody } from "@/lib/ingest/import/text-log-body";
import { queryRecord } from "@/lib/server/query-params";
import { json, withErrors } from "@/lib/server/respond";
import { resolveImportSource } from "@/lib/sources/import-source";

export const dynamic = "force-dynamic";

/**
 * POST /api/import?source=&realm=&tz=&date= with the log file as the body (plain or gzip). The body is read
 * as a stream and written in atomic batches, so a file of any size imports in bounded memory; the answer is
 * the import report: counts, skipped lines with their numbers and reasons, and the time assumption made.
 */
export const POST = withErrors(async (req: Request) => {
  await getViewerOrThrow("admin");
  const query = importQuery.parse(queryRecord(new URL(req.url).searchParams));
  const sql = getSql();
  const source = await resolveImportSource(sql, query.source);
  const input = await textLogBody(req.body);
  const report = await importLog(sql, input, {
    sourceId: source.id,
    defaultRealm: query.realm,
    timeZone: query.tz,
    defaultDate: query.date,
  });
  return json({ source, report });
});

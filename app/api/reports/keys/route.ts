import { z } from "zod";
import { getViewerOrThrow } from "@/lib/auth/get-viewer";
import { getSql } from "@/lib/db/sql";
import { idParam } from "@/lib/http/query-params";
import { readJson } from "@/lib/http/read-json";
import { json, withErrors } from "@/lib/http/respond";
import { createReportKey } from "@/lib/reports/receive";
import { recordAudit } from "@/lib/security/record-audit";

export const dynamic = "force-dynamic";

const body = z.object({ sourceId: idParam }).strict();

/**
 * POST /api/reports/keys {sourceId}: a new report key for the source, returned this once (it is stored
 * hashed and sealed). Creating a key replaces the previous one: reporters using it start getting 401.
 */
export const POST = withErrors(async (req: Request) => {
  const viewer = await getViewerOrThrow("admin");
  const { sourceId } = await readJson(req, body);
  const sql = getSql();
  const key = await createReportKey(sql, sourceId);
  await recordAudit(sql, { viewer, action: "source.report-key.create", target: sourceId });
  return json({ sourceId, key }, { status: 201 });
});

import { z } from "zod";
import { recordAudit } from "@/lib/auth/record-audit";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { createReportKey } from "@/lib/ingest/reports/receive";
import { idParam } from "@/lib/server/query-params";
import { json } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

const body = z.object({ sourceId: idParam }).strict();

/**
 * POST /api/reports/keys {sourceId}: a new report key for the source, returned this once (it is stored
 * hashed and sealed). Creating a key replaces the previous one: reporters using it start getting 401.
 */
export const POST = route({ body }, async ({ viewer, body: { sourceId }, request }) => {
  const sql = getSql();
  const key = await createReportKey(sql, sourceId);
  await recordAudit(sql, { viewer, action: "source.report-key.create", target: sourceId, request });
  return json({ sourceId, key }, { status: 201 });
});

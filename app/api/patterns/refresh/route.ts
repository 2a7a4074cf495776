import { z } from "zod";
import { getSql } from "@/lib/db/sql";
import { createUserNameResolver } from "@/lib/ingest/sync/resolve-user-names";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { readJson } from "@/lib/server/read-json";
import { json, withErrors } from "@/lib/server/respond";
import { isTimeZone } from "@/lib/time/zoned-time";

export const dynamic = "force-dynamic";

const body = z.object({
  tz: z.string().refine(isTimeZone, { message: "must be an IANA time zone" }).optional(),
  sourceId: z.uuid().optional(),
});

/** POST /api/patterns/refresh {tz?, sourceId?}: runs pattern detection now; `skipped` when a run is in progress. */
export const POST = withErrors(async (req: Request) => {
  const { tz, sourceId } = await readJson(req, body);
  const sql = getSql();
  const resolveUser = createUserNameResolver(sql);
  return json({ result: await refreshPatterns(sql, { timeZone: tz, sourceId, resolveUser }) });
});

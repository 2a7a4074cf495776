import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { createUserNameResolver } from "@/lib/ingest/sync/resolve-user-names";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { isTimeZone } from "@/lib/time/zoned-time";

export const dynamic = "force-dynamic";

const body = z.object({
  tz: z.string().refine(isTimeZone, { message: "must be an IANA time zone" }).optional(),
  sourceId: z.uuid().optional(),
});

/** POST /api/patterns/refresh {tz?, sourceId?}: runs pattern detection now; `skipped` when a run is in progress. */
export const POST = route({ body }, async ({ body: { tz, sourceId } }) => {
  const sql = getSql();
  const resolveUser = createUserNameResolver(sql);
  return { result: await refreshPatterns(sql, { timeZone: tz, sourceId, resolveUser }) };
});

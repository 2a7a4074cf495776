import { z } from "zod";
import { type QueryInput, queryRecord, sourcePart, textPart } from "@/lib/server/query-params";
import type { Bucket } from "@/lib/time/choose-bucket";
import { bucketPart, rangeParts, timeZonePart } from "@/lib/time/time-params";
import { type ResolvedRange, resolveRange } from "@/lib/time/time-range";

/** A user's or a client's page: the realm and id from the path, source, range, zone and bucket from the query. */
const drilldownQuerySchema = z.object({
  source: sourcePart,
  tz: timeZonePart,
  bucket: bucketPart,
  ...rangeParts,
});
const pathSchema = z.object({ realm: textPart, id: z.string().trim().min(1).max(255) });

export interface DrilldownFilter {
  realm: string;
  id: string;
  sourceId: string | null;
  timeZone: string;
  bucket: Bucket | null;
  range: ResolvedRange;
}

export function parseDrilldownFilter(
  path: { realm: string; id: string },
  input: QueryInput,
  now: number,
): DrilldownFilter {
  const p = pathSchema.parse(path);
  const q = drilldownQuerySchema.parse(queryRecord(input));
  return {
    realm: p.realm,
    id: p.id,
    sourceId: q.source ?? null,
    timeZone: q.tz,
    bucket: q.bucket ?? null,
    range: resolveRange(q, q.tz, now),
  };
}

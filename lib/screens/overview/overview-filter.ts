import { z } from "zod";
import { one, type QueryInput, queryRecord, realmPart, sourcePart } from "@/lib/server/query-params";
import type { Bucket } from "@/lib/time/choose-bucket";
import { bucketPart, rangeParts, timeZonePart } from "@/lib/time/time-params";
import { type ResolvedRange, resolveRange } from "@/lib/time/time-range";

/** The overview's filters: source, realm, range, zone, bucket, and whether to compare with the period before. */
export const overviewQuerySchema = z.object({
  source: sourcePart,
  realm: realmPart,
  tz: timeZonePart,
  bucket: bucketPart,
  compare: one(z.enum(["on", "off"]).optional()).transform((c) => c !== "off"),
  ...rangeParts,
});

export interface OverviewFilter {
  sourceId: string | null;
  realm: string | null;
  timeZone: string;
  bucket: Bucket | null;
  compare: boolean;
  range: ResolvedRange;
}

export function parseOverviewFilter(input: QueryInput, now: number): OverviewFilter {
  const q = overviewQuerySchema.parse(queryRecord(input));
  return {
    sourceId: q.source ?? null,
    realm: q.realm ?? null,
    timeZone: q.tz,
    bucket: q.bucket ?? null,
    compare: q.compare,
    range: resolveRange(q, q.tz, now),
  };
}

import { z } from "zod";
import { PATTERN_STATUSES, type PatternStatus } from "@/lib/analytics/patterns";
import { PATTERN_SORTS, type PatternSort } from "@/lib/queries/patterns/list-patterns";
import {
  many,
  one,
  type QueryInput,
  queryRecord,
  realmPart,
  sourcePart,
  textPart,
} from "@/lib/server/query-params";
import { timeZonePart } from "@/lib/time/time-params";

const schema = z.object({
  source: sourcePart,
  realm: realmPart,
  status: many(z.enum(PATTERN_STATUSES)),
  // A cause id of the catalogue, or of a newer one that stored patterns may still carry: matched as a bound value.
  cause: many(textPart.regex(/^[a-z0-9-]{1,64}$/, "must be a cause id such as missing-role"), 20),
  sort: one(z.enum(PATTERN_SORTS).optional()),
  tz: timeZonePart,
});

export interface PatternListFilter {
  sourceId: string | null;
  realm: string | null;
  statuses: PatternStatus[];
  causes: string[];
  sort: PatternSort | null;
  timeZone: string;
}

export function parsePatternListFilter(input: QueryInput): PatternListFilter {
  const q = schema.parse(queryRecord(input));
  return {
    sourceId: q.source ?? null,
    realm: q.realm ?? null,
    statuses: [...new Set(q.status)],
    causes: [...new Set(q.cause)],
    sort: q.sort ?? null,
    timeZone: q.tz,
  };
}

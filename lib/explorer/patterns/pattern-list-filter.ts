import { z } from "zod";
import { PATTERN_STATUSES, type PatternStatus } from "@/lib/analytics/patterns";
import {
  many,
  type QueryInput,
  queryRecord,
  realmPart,
  sourcePart,
  timeZonePart,
} from "@/lib/http/query-params";

const schema = z.object({
  source: sourcePart,
  realm: realmPart,
  status: many(z.enum(PATTERN_STATUSES)),
  tz: timeZonePart,
});

export interface PatternListFilter {
  sourceId: string | null;
  realm: string | null;
  statuses: PatternStatus[];
  timeZone: string;
}

export function parsePatternListFilter(input: QueryInput): PatternListFilter {
  const q = schema.parse(queryRecord(input));
  return { sourceId: q.source ?? null, realm: q.realm ?? null, statuses: q.status, timeZone: q.tz };
}

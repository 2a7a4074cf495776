import "server-only";
import type postgres from "postgres";
import type { PatternStatus } from "@/lib/analytics/patterns";
import type { Role } from "@/lib/auth/roles";
import { listPatterns, type PatternSort, type PatternSummary } from "@/lib/queries/patterns/list-patterns";
import type { QueryInput } from "@/lib/server/query-params";
import { namedSuspect, type PatternRow, patternRows } from "./name-patterns";
import { type PatternListFilter, parsePatternListFilter } from "./pattern-list-filter";

export interface PatternListPage {
  /** The filter with the defaults applied: what the list shows. */
  filter: PatternListFilter & { sort: PatternSort };
  patterns: PatternRow[];
}

/** Patterns filtered by source, realm, cause and status, in the asked order, with names for people. */
export async function loadPatternList(
  sql: postgres.Sql,
  role: Role,
  input: QueryInput,
  defaults: { statuses: readonly PatternStatus[]; sort: PatternSort; limit: number },
): Promise<PatternListPage> {
  const f = parsePatternListFilter(input);
  const filter = {
    ...f,
    statuses: f.statuses.length > 0 ? f.statuses : [...defaults.statuses],
    sort: f.sort ?? defaults.sort,
  };
  const patterns = await listPatterns(sql, {
    sourceId: filter.sourceId ?? undefined,
    realm: filter.realm ?? undefined,
    statuses: filter.statuses,
    causes: filter.causes,
    sort: filter.sort,
    limit: defaults.limit,
  });
  return { filter, patterns: await patternRows(sql, patterns, role) };
}

/** A pattern for the JSON API: the stored summary, its scope's name, the top suspect with its names filled in. */
export function patternForApi(row: PatternRow): PatternSummary & { scopeName: string | null } {
  const { suspect, ...summary } = row;
  return {
    ...summary,
    topSuspect:
      summary.topSuspect && suspect ? namedSuspect(summary.topSuspect, suspect) : summary.topSuspect,
  };
}

import { listPatterns } from "@/lib/analytics/queries/list-patterns";
import { getSql } from "@/lib/db/sql";
import { parsePatternListFilter } from "@/lib/explorer/patterns/pattern-list-filter";
import { json, withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** GET /api/patterns?source=&realm=&status=open&status=ongoing: patterns, most recently active first. */
export const GET = withErrors(async (req: Request) => {
  const f = parsePatternListFilter(new URL(req.url).searchParams);
  const patterns = await listPatterns(getSql(), {
    sourceId: f.sourceId ?? undefined,
    realm: f.realm ?? undefined,
    statuses: f.statuses,
    limit: 500,
  });
  return json({ patterns });
});

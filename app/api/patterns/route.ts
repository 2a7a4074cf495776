import { getSql } from "@/lib/db/sql";
import { loadPatternList, patternForApi } from "@/lib/screens/patterns/load-pattern-list";
import { json, withErrors } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/patterns?source=&realm=&cause=&status=open&status=ongoing&sort=impact|start|last-seen|failures:
 * patterns of every status unless filtered, most recently active first unless sorted otherwise.
 */
export const GET = withErrors(async (req: Request) => {
  const page = await loadPatternList(getSql(), new URL(req.url).searchParams, {
    statuses: [],
    sort: "last-seen",
    limit: 500,
  });
  return json({ patterns: page.patterns.map(patternForApi) });
});

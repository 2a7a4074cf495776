import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadPatternList, patternForApi } from "@/lib/screens/patterns/load-pattern-list";

export const dynamic = "force-dynamic";

/**
 * GET /api/patterns?source=&realm=&cause=&status=open&status=ongoing&sort=impact|start|last-seen|failures:
 * patterns of every status unless filtered, most recently active first unless sorted otherwise.
 */
export const GET = route({}, async ({ viewer, query }) => {
  const page = await loadPatternList(getSql(), viewer.role, query, {
    statuses: [],
    sort: "last-seen",
    limit: 500,
  });
  return { patterns: page.patterns.map(patternForApi) };
});

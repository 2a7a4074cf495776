import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadPatternPage } from "@/lib/screens/patterns/load-pattern-page";
import { idParams } from "@/lib/server/query-params";

export const dynamic = "force-dynamic";

/**
 * GET /api/patterns/<id>?tz=: the pattern, its chart, attribution, samples and fix link, and its suspected admin
 * changes top first (`suspects`, `topSuspect`) with the changed objects and the admins by name.
 */
export const GET = route({ params: idParams }, async ({ viewer, params, query }) => {
  const page = await loadPatternPage(getSql(), viewer.role, params.id, query, Date.now());
  const suspects = page.detail.pattern.suspectedChanges;
  return {
    ...page.detail,
    suspects,
    topSuspect: suspects[0] ?? null,
    fixHref: page.fixHref,
    usernames: page.usernames,
  };
});

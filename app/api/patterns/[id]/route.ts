import { getSql } from "@/lib/db/sql";
import { loadPatternPage } from "@/lib/screens/patterns/load-pattern-page";
import { idParam } from "@/lib/server/query-params";
import { json, withErrors } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/patterns/<id>?tz=: the pattern, its chart, attribution, samples and fix link, and its suspected admin
 * changes top first (`suspects`, `topSuspect`) with the changed objects and the admins by name.
 */
export const GET = withErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = idParam.parse((await ctx.params).id);
  const page = await loadPatternPage(getSql(), id, new URL(req.url).searchParams, Date.now());
  const suspects = page.detail.pattern.suspectedChanges;
  return json({
    ...page.detail,
    suspects,
    topSuspect: suspects[0] ?? null,
    fixHref: page.fixHref,
    usernames: page.usernames,
  });
});

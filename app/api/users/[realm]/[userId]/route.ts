import { getSql } from "@/lib/db/sql";
import { loadUserPage } from "@/lib/screens/drilldown/load-user-page";
import { json, withErrors } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** GET /api/users/<realm>/<userId>?source=&range=|from=&to=&tz=: failures, admin changes, lockout state. */
export const GET = withErrors(
  async (req: Request, ctx: { params: Promise<{ realm: string; userId: string }> }) => {
    const { realm, userId } = await ctx.params;
    const page = await loadUserPage(
      getSql(),
      { realm: decodeURIComponent(realm), userId: decodeURIComponent(userId) },
      new URL(req.url).searchParams,
      Date.now(),
    );
    return json({
      range: { from: page.filter.range.from, to: page.filter.range.to, timeZone: page.filter.timeZone },
      realm: page.filter.realm,
      ...page.drilldown,
    });
  },
);

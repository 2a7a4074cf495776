import { getSql } from "@/lib/db/sql";
import { loadClientPage } from "@/lib/screens/drilldown/load-client-page";
import { json, withErrors } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/clients/<realm>/<clientId>?source=&range=|from=&to=&tz=&bucket=: failure mix, spikes, users, changes,
 * and the failures it refused as an API or audience (`refusals`) or made as a tokenless user agent (`byUserAgent`).
 */
export const GET = withErrors(
  async (req: Request, ctx: { params: Promise<{ realm: string; clientId: string }> }) => {
    const { realm, clientId } = await ctx.params;
    const page = await loadClientPage(
      getSql(),
      { realm: decodeURIComponent(realm), clientId: decodeURIComponent(clientId) },
      new URL(req.url).searchParams,
      Date.now(),
    );
    return json({
      range: { from: page.filter.range.from, to: page.filter.range.to, timeZone: page.filter.timeZone },
      realm: page.filter.realm,
      spikes: page.spikes,
      ...page.drilldown,
      refusals: page.refusals,
      byUserAgent: page.byUserAgent,
    });
  },
);

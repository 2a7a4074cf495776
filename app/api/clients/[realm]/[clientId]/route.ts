import { z } from "zod";
import { answerRange } from "@/app/api/_shared/answer-range";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadClientPage } from "@/lib/screens/drilldown/load-client-page";
import { nameSegment } from "@/lib/server/query-params";

export const dynamic = "force-dynamic";

const params = z.object({ realm: nameSegment, clientId: nameSegment });

/**
 * GET /api/clients/<realm>/<clientId>?source=&range=|from=&to=&tz=&bucket=: failure mix, spikes, users, changes,
 * and the failures it refused as an API or audience (`refusals`) or made as a tokenless user agent (`byUserAgent`).
 */
export const GET = route({ params }, async ({ viewer, params, query }) => {
  const page = await loadClientPage(getSql(), viewer.role, params, query, Date.now());
  return {
    range: answerRange(page.filter),
    realm: page.filter.realm,
    spikes: page.spikes,
    ...page.drilldown,
    refusals: page.refusals,
    byUserAgent: page.byUserAgent,
  };
});

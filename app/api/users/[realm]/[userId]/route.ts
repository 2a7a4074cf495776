import { z } from "zod";
import { answerRange } from "@/app/api/_shared/answer-range";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadUserPage } from "@/lib/screens/drilldown/load-user-page";
import { nameSegment } from "@/lib/server/query-params";

export const dynamic = "force-dynamic";

const params = z.object({ realm: nameSegment, userId: nameSegment });

/** GET /api/users/<realm>/<userId>?source=&range=|from=&to=&tz=: failures, admin changes, lockout state. */
export const GET = route({ params }, async ({ viewer, params, query }) => {
  const page = await loadUserPage(getSql(), viewer.role, params, query, Date.now());
  return {
    range: answerRange(page.filter),
    realm: page.filter.realm,
    ...page.drilldown,
  };
});

import { answerRange } from "@/app/api/_shared/answer-range";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadOverview } from "@/lib/screens/overview/load-overview";

export const dynamic = "force-dynamic";

/** GET /api/overview?source=&realm=&range=|from=&to=&tz=&bucket=&compare=on|off: the overview's data. */
export const GET = route({}, async ({ viewer, query }) => {
  const { filter, ...data } = await loadOverview(getSql(), viewer.role, query, Date.now());
  return { range: answerRange(filter), ...data };
});

import { getSql } from "@/lib/db/sql";
import { loadOverview } from "@/lib/screens/overview/load-overview";
import { json, withErrors } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** GET /api/overview?source=&realm=&range=|from=&to=&tz=&bucket=&compare=on|off: the overview's data. */
export const GET = withErrors(async (req: Request) => {
  const o = await loadOverview(getSql(), new URL(req.url).searchParams, Date.now());
  const { filter, ...data } = o;
  return json({
    range: { from: filter.range.from, to: filter.range.to, timeZone: filter.timeZone },
    ...data,
  });
});

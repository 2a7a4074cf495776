import { getSql } from "@/lib/db/sql";
import { loadAdminEventsPage } from "@/lib/screens/events/load-events-page";
import { json, withErrors } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** GET /api/events/admin?realm=&resourceType=&operation=&resourcePath=&authUser=&authIp=&range=|from=&to=&tz=&limit=&after=|before= */
export const GET = withErrors(async (req: Request) => {
  const page = await loadAdminEventsPage(getSql(), new URL(req.url).searchParams, Date.now());
  return json({
    range: { from: page.filter.range.from, to: page.filter.range.to, timeZone: page.filter.timeZone },
    events: page.events,
    newer: page.newer,
    older: page.older,
  });
});

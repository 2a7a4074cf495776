import { answerRange } from "@/app/api/_shared/answer-range";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadAdminEventsPage } from "@/lib/screens/events/load-events-page";

export const dynamic = "force-dynamic";

/** GET /api/events/admin?realm=&resourceType=&operation=&resourcePath=&authUser=&authIp=&range=|from=&to=&tz=&limit=&after=|before= */
export const GET = route({}, async ({ viewer, query }) => {
  const page = await loadAdminEventsPage(getSql(), viewer.role, query, Date.now());
  return {
    range: answerRange(page.filter),
    events: page.events,
    newer: page.newer,
    older: page.older,
  };
});

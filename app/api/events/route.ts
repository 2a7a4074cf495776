import { answerRange } from "@/app/api/_shared/answer-range";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadUserEventsPage } from "@/lib/screens/events/load-events-page";

export const dynamic = "force-dynamic";

/** GET /api/events?realm=&type=&error=&cause=&client=&user=&ip=&origin=&outcome=&range=|from=&to=&tz=&limit=&after=|before= */
export const GET = route({}, async ({ viewer, query }) => {
  const page = await loadUserEventsPage(getSql(), viewer.role, query, Date.now());
  return {
    range: answerRange(page.filter),
    total: page.total,
    events: page.events,
    newer: page.newer,
    older: page.older,
  };
});

import { answerRange } from "@/app/api/_shared/answer-range";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { loadClientSearch } from "@/lib/screens/clients/load-client-search";
import { withDefaultRange } from "@/lib/screens/with-default-range";

export const dynamic = "force-dynamic";

/**
 * GET /api/clients?q=&source=&realm=&range=|from=&to=&tz=: clients whose clientId contains q (default range 30
 * days), with failures as caller, as refusing API or audience, and by user agent.
 */
export const GET = route({}, async ({ query }) => {
  const page = await loadClientSearch(getSql(), withDefaultRange(query, "30d"), Date.now());
  return {
    q: page.filter.q,
    range: answerRange(page.filter),
    clients: page.result?.hits ?? [],
    complete: page.result?.complete ?? true,
  };
});

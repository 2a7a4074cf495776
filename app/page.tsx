import { getSql } from "@/lib/db/sql";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const sql = getSql();
  const [totals] = await sql<{ events: number; failures: number; sources: number }[]>`
    select (select count(*) from user_events)::int as events,
           (select count(*) from user_events where is_failure)::int as failures,
           (select count(*) from sources)::int as sources`;
  return (
    <section className="card" data-testid="overview">
      <h1>Overview</h1>
      <p>
        <span data-testid="event-count">{totals?.events ?? 0}</span> events stored,{" "}
        <span data-testid="failure-count">{totals?.failures ?? 0}</span> failures, from {totals?.sources ?? 0}{" "}
        sources.
      </p>
    </section>
  );
}

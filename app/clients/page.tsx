import type { Metadata } from "next";
import { Suspense } from "react";
import { DataTable, num } from "@/app/_components/data-table";
import { ErrorBanner } from "@/app/_components/error-banner";
import { FilterActions, FilterForm, TextField } from "@/app/_components/filter-fields";
import { PageHead } from "@/app/_components/page-head";
import { RangeFields } from "@/app/_components/range-fields";
import { RealmFields } from "@/app/_components/realm-fields";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { getPageViewer } from "@/lib/auth/get-viewer";
import { getSql } from "@/lib/db/sql";
import { type ClientSearchHit, SEARCH_SCAN_LIMIT } from "@/lib/queries/clients/search-clients";
import { appendRange } from "@/lib/queries/events/user-event-filter";
import { listRealmOptions } from "@/lib/queries/list-realm-options";
import { type ClientSearchPage, loadClientSearch } from "@/lib/screens/clients/load-client-search";
import { settleFor } from "@/lib/screens/for-viewer";
import { withDefaultRange } from "@/lib/screens/with-default-range";
import { toSearchParams } from "@/lib/server/search-params";
import { formatCount } from "@/lib/time/format";

export const metadata: Metadata = { title: "Clients" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ClientsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = withDefaultRange(toSearchParams(await searchParams), "30d");
  const timeZone = params.get("tz") ?? "UTC";
  const sql = getSql();
  const { role } = await getPageViewer();
  const [options, result] = await Promise.all([
    listRealmOptions(sql),
    settleFor(role, loadClientSearch(sql, params, Date.now())),
  ]);
  return (
    <>
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <PageHead
        title="Clients"
        intro="Find a client by part of its clientId: callers with failures, APIs that refused tokens or were asked for as audience, and callers known only by their user agent in access logs."
      />
      <section className="card" aria-labelledby="client-search-title">
        <h2 id="client-search-title" className="visually-hidden">
          Search
        </h2>
        <FilterForm action="/clients" testId="client-search" timeZone={timeZone}>
          <TextField
            name="q"
            type="search"
            label="clientId contains"
            value={params.get("q") ?? ""}
            placeholder="orders-api"
          />
          <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
          <RangeFields params={params} timeZone={timeZone} />
          <FilterActions submit="Search" />
        </FilterForm>
      </section>
      {!result.ok ? (
        <ErrorBanner error={result.error} title="This search cannot be run" />
      ) : result.value.result ? (
        <Results page={result.value} />
      ) : null}
    </>
  );
}

function Results({ page }: { page: ClientSearchPage }) {
  const { hits, complete } = page.result!;
  const rangeQuery = new URLSearchParams({ tz: page.filter.timeZone });
  appendRange(rangeQuery, page.filter.range);
  if (page.filter.sourceId) rangeQuery.set("source", page.filter.sourceId);
  const href = (h: ClientSearchHit) =>
    `/clients/${encodeURIComponent(h.realm)}/${encodeURIComponent(h.clientId)}?${rangeQuery.toString()}`;
  return (
    <section className="card" aria-labelledby="client-results-title">
      <h2 id="client-results-title">
        {hits.length === 0
          ? `No client matches “${page.filter.q}”`
          : `${hits.length} ${hits.length === 1 ? "client" : "clients"} matching “${page.filter.q}”`}
      </h2>
      {hits.length === 0 ? (
        <p className="empty">
          No clientId in the realms' client lists, no caller with failures in this range, no API or audience
          of a refused token and no user agent of an access-log failure contains it. Try a shorter part, or a
          longer range.
        </p>
      ) : (
        <DataTable
          columns={[
            "Client",
            "Realm",
            num("Its failures"),
            num("Refused as API or audience"),
            num("By user agent"),
            "Known as",
          ]}
          caption="Clients matching the search"
          testId="client-results"
          wrap
        >
          {hits.map((h) => (
            <tr key={`${h.sourceId}/${h.realm}/${h.clientId}`} data-testid="client-result">
              <td>
                <a href={href(h)}>{h.clientId}</a>
              </td>
              <td>{h.realm}</td>
              <td className="num">{formatCount(h.failures)}</td>
              <td className="num">{formatCount(h.refusals)}</td>
              <td className="num">{formatCount(h.agentFailures)}</td>
              <td>
                {[
                  h.known ? "a client of the realm" : null,
                  h.refusals > 0 ? "an API or audience of refused tokens" : null,
                  h.userAgents.length > 0 ? `user agent ${h.userAgents.join(", ")}` : null,
                  !h.known && h.failures > 0 ? "a caller in failures" : null,
                ]
                  .filter(Boolean)
                  .join("; ")}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {complete ? null : (
        <p className="hint">
          Refusals and user agents are counted among each realm's newest {formatCount(SEARCH_SCAN_LIMIT)}{" "}
          refused and {formatCount(SEARCH_SCAN_LIMIT)} tokenless failures of the range.
        </p>
      )}
    </section>
  );
}

import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ErrorBanner } from "@/app/_components/error-banner";
import { FailureChart } from "@/app/_components/failure-chart";
import { toFailureChartData } from "@/app/_components/format/failure-chart-data";
import { hrefWith } from "@/app/_components/format/href-with";
import { HealthBanner } from "@/app/_components/health-banner";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { LoadingState } from "@/app/_components/loading-state";
import { OverviewFilters } from "@/app/_components/overview-filters";
import { PageHead } from "@/app/_components/page-head";
import { PatternList } from "@/app/_components/pattern-list";
import { PresetLinks } from "@/app/_components/preset-links";
import { SeriesTable } from "@/app/_components/series-table";
import { SPIKES_SHOWN, SpikeList } from "@/app/_components/spike-list";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { TopLists } from "@/app/_components/top-lists";
import { getPageViewer } from "@/lib/auth/get-viewer";
import type { Role } from "@/lib/auth/roles";
import { getSql } from "@/lib/db/sql";
import { isKnownRealm } from "@/lib/queries/drilldown/known-entity";
import { listRealmOptions } from "@/lib/queries/list-realm-options";
import { settleFor } from "@/lib/screens/for-viewer";
import { loadOverview, type Overview } from "@/lib/screens/overview/load-overview";
import { toSearchParams } from "@/lib/server/search-params";
import { formatCount, formatShare } from "@/lib/time/format";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  const timeZone = params.get("tz") ?? "UTC";
  const { role } = await getPageViewer();
  const options = await listRealmOptions(getSql());
  // A realm realmwatch never saw is a 404, not a healthy realm without failures.
  const realm = params.get("realm");
  if (realm && !(await isKnownRealm(getSql(), realm))) notFound();
  return (
    <div data-testid="overview">
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <Suspense fallback={<div className="live-bar" />}>
        <LiveRefresh updatedAt={Date.now()} />
      </Suspense>
      <PageHead
        title="Overview"
        intro={<>Failures by cause, what changed, and who is affected. Times in {timeZone}.</>}
      >
        <PresetLinks path="/" params={params} />
      </PageHead>
      <section className="card" aria-labelledby="pickers-title">
        <h2 id="pickers-title" className="visually-hidden">
          Realm, source and time
        </h2>
        <OverviewFilters params={params} timeZone={timeZone} options={options} />
      </section>
      <Suspense key={withoutLive(params)} fallback={<LoadingState what="the overview" />}>
        <OverviewData params={params} role={role} />
      </Suspense>
    </div>
  );
}

/** The data's identity: a change of live interval keeps what is shown instead of flashing the loading state. */
function withoutLive(params: URLSearchParams): string {
  const p = new URLSearchParams(params);
  p.delete("live");
  return p.toString();
}

async function OverviewData({ params, role }: { params: URLSearchParams; role: Role }) {
  const result = await settleFor(role, loadOverview(getSql(), role, params, Date.now()));
  return result.ok ? (
    <OverviewBody overview={result.value} params={params} />
  ) : (
    <ErrorBanner error={result.error} title="The overview cannot be shown for these settings" />
  );
}

function OverviewBody({ overview: o, params }: { overview: Overview; params: URLSearchParams }) {
  const tz = o.filter.timeZone;
  const previous = o.series.previous;
  const delta = previous && previous.total > 0 ? (o.series.total - previous.total) / previous.total : null;
  const explore = new URLSearchParams({ tz, outcome: "failures" });
  const patternScope = new URLSearchParams({ tz });
  for (const key of ["source", "realm"]) {
    const v = params.get(key);
    if (v) patternScope.set(key, v);
  }
  for (const key of ["source", "realm", "range", "from", "to"]) {
    const v = params.get(key);
    if (v) explore.set(key, v);
  }
  return (
    <>
      <HealthBanner findings={o.health} />
      <section className="card" aria-labelledby="failures-title">
        <div className="page-head">
          <h2 id="failures-title">Failures by cause</h2>
          <a href={`/events?${explore.toString()}`}>Explore these failures</a>
        </div>
        <div className="stats">
          <div>
            <div className="stat" data-testid="failure-total">
              {formatCount(o.series.total)}
            </div>
            <div className="stat-label">failures</div>
          </div>
          <div>
            <div className="stat">
              <span aria-hidden="true">{formatCount(o.totals.events)}</span>
              <span className="visually-hidden" data-testid="event-count">
                {o.totals.events}
              </span>
            </div>
            <div className="stat-label">
              events
              {o.totals.events > 0 ? `, ${formatShare(o.totals.failures / o.totals.events)} failed` : ""}
            </div>
          </div>
          {previous ? (
            <div>
              <div className="stat">{formatCount(previous.total)}</div>
              <div className="stat-label">
                failures the period before
                {delta !== null ? (
                  <span className={delta > 0 ? "delta-up" : "delta-down"}>
                    {" "}
                    ({delta > 0 ? "+" : ""}
                    {formatShare(delta)})
                  </span>
                ) : null}
              </div>
            </div>
          ) : null}
        </div>
        {o.series.total === 0 && (previous?.total ?? 0) === 0 ? (
          <p className="empty" data-testid="empty-state">
            No failures in this range. If that is unexpected, check the ingestion notes above and the Sources
            page.
          </p>
        ) : (
          <>
            <FailureChart
              data={toFailureChartData(o.series, o.spikes.slice(0, SPIKES_SHOWN), tz, {
                explore,
                changes: o.changes,
                versions: o.versions,
              })}
              title={`Failures per ${o.series.bucket}, stacked by cause`}
            />
            <SeriesTable series={o.series} timeZone={tz} explore={explore} />
          </>
        )}
        <SpikeList spikes={o.spikes} timeZone={tz} explore={explore} />
      </section>
      <section className="card" aria-labelledby="patterns-title">
        <div className="page-head">
          <h2 id="patterns-title">Open patterns of most impact</h2>
          <a href={hrefWith("/patterns", patternScope)}>All patterns</a>
        </div>
        <PatternList
          patterns={o.patterns}
          timeZone={tz}
          sort="impact"
          compact
          empty="No open pattern: no cause is spiking anywhere."
        />
      </section>
      <TopLists overview={o} explore={explore} />
    </>
  );
}

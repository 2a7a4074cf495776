import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { DetectPatterns } from "@/app/_components/detect-patterns";
import { ErrorBanner } from "@/app/_components/error-banner";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { PageHead } from "@/app/_components/page-head";
import { PatternFilters, SORT_LABELS } from "@/app/_components/pattern-filters";
import { PatternList } from "@/app/_components/pattern-list";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { getPageViewer } from "@/lib/auth/get-viewer";
import { getSql } from "@/lib/db/sql";
import { isKnownRealm } from "@/lib/queries/drilldown/known-entity";
import { listRealmOptions } from "@/lib/queries/list-realm-options";
import { settleFor } from "@/lib/screens/for-viewer";
import { loadPatternList } from "@/lib/screens/patterns/load-pattern-list";
import { toSearchParams } from "@/lib/server/search-params";

export const metadata: Metadata = { title: "Patterns" };

export default async function PatternsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = toSearchParams(await searchParams);
  const timeZone = params.get("tz") ?? "UTC";
  const sql = getSql();
  const { role } = await getPageViewer();
  // A realm realmwatch never saw is a 404, not a healthy realm without failures.
  const realm = params.get("realm");
  if (realm && !(await isKnownRealm(getSql(), realm))) notFound();
  const [options, result] = await Promise.all([
    listRealmOptions(sql),
    settleFor(
      role,
      loadPatternList(sql, role, params, { statuses: ["open", "ongoing"], sort: "impact", limit: 200 }),
    ),
  ]);
  return (
    <>
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <Suspense fallback={<div className="live-bar" />}>
        <LiveRefresh updatedAt={Date.now()} />
      </Suspense>
      <PageHead
        title="Patterns"
        intro="Incidents: a cause failing in a realm, a client or for one user, with the admin change that likely caused it and the fix."
      >
        <DetectPatterns />
      </PageHead>
      <section className="card" aria-labelledby="pattern-filters-title">
        <h2 id="pattern-filters-title" className="visually-hidden">
          Filters and order
        </h2>
        <PatternFilters params={params} timeZone={timeZone} options={options} />
        <StatusLegend />
      </section>
      <section className="card" aria-labelledby="pattern-list-title">
        <h2 id="pattern-list-title">
          {result.ok
            ? `${result.value.patterns.length === 200 ? "The first 200" : result.value.patterns.length} ${result.value.patterns.length === 1 ? "pattern" : "patterns"}, by ${SORT_LABELS[result.value.filter.sort].toLowerCase()}`
            : "Patterns"}
        </h2>
        {result.ok ? (
          <PatternList
            patterns={result.value.patterns}
            timeZone={result.value.filter.timeZone}
            sort={result.value.filter.sort}
            empty="No pattern matches. Patterns are detected from hourly failures against the same hour of earlier weeks."
          />
        ) : (
          <ErrorBanner error={result.error} title="These filters cannot be applied" />
        )}
      </section>
    </>
  );
}

function StatusLegend() {
  return (
    <details className="legend" data-testid="pattern-legend" open>
      <summary>What the statuses and kinds mean</summary>
      <dl className="kv">
        <dt>Open</dt>
        <dd>New: its failures so far fall in a single hour.</dd>
        <dt>Ongoing</dt>
        <dd>
          Failing in more than one hour, and still going: a quiet night does not end it, only traffic that
          goes through without the failures.
        </dd>
        <dt>Resolved</dt>
        <dd>
          The requests it failed go through again, or 24 hours passed without a failure. It reopens if the
          failures come back soon after.
        </dd>
        <dt>Acute</dt>
        <dd>The failures rose well above their usual level: something changed.</dd>
        <dt>Chronic</dt>
        <dd>A steady stream of failures above a floor that never spiked: a standing misconfiguration.</dd>
        <dt>Impact</dt>
        <dd>
          Unresolved first, then failures in the last 24 hours, users and clients affected; acute before
          chronic when those are equal.
        </dd>
      </dl>
    </details>
  );
}

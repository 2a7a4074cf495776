import type { Metadata } from "next";
import { type ReactNode, Suspense } from "react";
import { AdminEventTable } from "@/app/_components/admin-event-table";
import { ErrorBanner } from "@/app/_components/error-banner";
import { AdminEventFilters, UserEventFilters } from "@/app/_components/event-filters";
import { EventHistogram } from "@/app/_components/event-histogram";
import { toHistogramData } from "@/app/_components/format/histogram-data";
import { hrefWith } from "@/app/_components/format/href-with";
import { PageHead } from "@/app/_components/page-head";
import { Pager } from "@/app/_components/pager";
import { PresetLinks } from "@/app/_components/preset-links";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { UserEventTable } from "@/app/_components/user-event-table";
import { getPageViewer } from "@/lib/auth/get-viewer";
import type { Role } from "@/lib/auth/roles";
import { getSql } from "@/lib/db/sql";
import type { EventTotal } from "@/lib/queries/events/count-user-events";
import { listRealmOptions } from "@/lib/queries/list-realm-options";
import { readRetentionConfig } from "@/lib/retention/retention-config";
import { loadEventHistogram } from "@/lib/screens/events/load-event-histogram";
import { loadAdminEventsPage, loadUserEventsPage } from "@/lib/screens/events/load-events-page";
import { settleFor } from "@/lib/screens/for-viewer";
import { toSearchParams } from "@/lib/server/search-params";
import type { Settled } from "@/lib/server/settle";
import { formatCount, formatTime } from "@/lib/time/format";

export const metadata: Metadata = { title: "Events" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  const tab = params.get("tab") === "admin" ? "admin" : "user";
  const timeZone = params.get("tz") ?? "UTC";
  const sql = getSql();
  const now = Date.now();
  const { role } = await getPageViewer();
  const options = await listRealmOptions(sql);
  const pageParams = new URLSearchParams(params);
  pageParams.delete("after");
  pageParams.delete("before");

  return (
    <>
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <PageHead
        title="Events"
        intro="Stored Keycloak events, and the failures of server logs, access logs and reports; newest first."
      />
      <nav className="tabs" aria-label="Event kind">
        <a
          href={hrefWith("/events", pageParams, { tab: null })}
          aria-current={tab === "user" ? "page" : undefined}
        >
          User events
        </a>
        <a
          href={hrefWith("/events", pageParams, { tab: "admin" })}
          aria-current={tab === "admin" ? "page" : undefined}
        >
          Admin events
        </a>
      </nav>
      {tab === "user" ? (
        <UserTab {...{ params, pageParams, timeZone, now, options, role }} />
      ) : (
        <AdminTab {...{ params, pageParams, timeZone, now, options, role }} />
      )}
    </>
  );
}

interface TabProps {
  params: URLSearchParams;
  pageParams: URLSearchParams;
  timeZone: string;
  now: number;
  options: Awaited<ReturnType<typeof listRealmOptions>>;
  role: Role;
}

async function UserTab({ params, pageParams, timeZone, now, options, role }: TabProps) {
  const result = await settleFor(role, loadUserEventsPage(getSql(), role, params, now));
  const { successEventDays: successDays, userEventDays: failureDays } = readRetentionConfig();
  // Tiered retention (lib/retention/expire-tiers.ts): successes go long before failures.
  const successCutoff = now - Math.min(successDays, failureDays) * 86_400_000;
  return (
    <EventsTab
      filters={<UserEventFilters params={params} timeZone={timeZone} options={options} />}
      title={result.ok ? <TotalText total={result.value.total} /> : "User events"}
      pageParams={pageParams}
      exportKind={null}
      result={result}
      histogram={
        <Suspense fallback={<div className="histogram" />}>
          <Histogram params={params} pageParams={pageParams} role={role} now={now} />
        </Suspense>
      }
      empty="No events match these filters in this time range. Widen the range or remove a filter."
      note={
        result.ok && result.value.filter.range.from < successCutoff ? (
          <p className="muted" data-testid="expired-successes-note">
            Successes before {formatTime(successCutoff, timeZone).slice(0, 16)} have expired (successes are
            kept {successDays} days, failures {failureDays}): they are not listed. Without a user or address
            filter the total and the chart still count them.
          </p>
        ) : null
      }
      table={
        result.ok ? (
          <UserEventTable
            events={result.value.events}
            timeZone={timeZone}
            caption="User events matching the filters"
          />
        ) : null
      }
    />
  );
}

/** The histogram above the user events: loaded beside the table, so the table does not wait for it. */
async function Histogram({
  params,
  pageParams,
  role,
  now,
}: {
  params: URLSearchParams;
  pageParams: URLSearchParams;
  role: Role;
  now: number;
}) {
  const result = await settleFor(role, loadEventHistogram(getSql(), role, params, now));
  // The table's own answer says what is wrong with the filters; the histogram then stays out of the way.
  return result.ok ? <EventHistogram data={toHistogramData(result.value, pageParams)} /> : null;
}

async function AdminTab({ params, pageParams, timeZone, now, options, role }: TabProps) {
  const result = await settleFor(role, loadAdminEventsPage(getSql(), role, params, now));
  return (
    <EventsTab
      filters={<AdminEventFilters params={params} timeZone={timeZone} options={options} />}
      title="Admin events"
      pageParams={pageParams}
      exportKind="admin"
      result={result}
      empty="No admin events match. Keycloak saves admin events only when the realm's Admin events settings have Save events on."
      table={
        result.ok ? (
          <AdminEventTable
            events={result.value.events}
            timeZone={timeZone}
            caption="Admin events matching the filters"
          />
        ) : null
      }
    />
  );
}

/**
 * A tab of the explorer: its filters, then the results with presets, exports, the table and the pager. The user
 * events' export links carry test ids (`exportKind` null); the admin events' export says `kind=admin`.
 */
function EventsTab({
  filters,
  title,
  pageParams,
  exportKind,
  result,
  histogram,
  empty,
  note,
  table,
}: {
  filters: ReactNode;
  title: ReactNode;
  pageParams: URLSearchParams;
  exportKind: "admin" | null;
  result: Settled<{ events: unknown[]; newer: string | null; older: string | null }>;
  /** Above the table: the events over time (user events only). */
  histogram?: ReactNode;
  empty: string;
  /** Under the chart: what the list cannot show. */
  note?: ReactNode;
  table: ReactNode;
}) {
  const exportParams = new URLSearchParams(pageParams);
  exportParams.delete("tab");
  if (exportKind) exportParams.set("kind", exportKind);
  const exportLink = (format: "csv" | "jsonl", label: string) => (
    <a
      className="button"
      href={hrefWith("/api/events/export", exportParams, { format })}
      data-testid={exportKind ? undefined : `export-${format}`}
    >
      {label}
    </a>
  );
  return (
    <>
      <section className="card" aria-labelledby="filters-title">
        <h2 id="filters-title">Filters</h2>
        {filters}
      </section>
      <section className="card" aria-labelledby="results-title">
        <div className="page-head">
          <h2 id="results-title">{title}</h2>
          {result.ok ? (
            <div className="actions">
              <PresetLinks path="/events" params={pageParams} />
              {exportLink("csv", "Export CSV")}
              {exportLink("jsonl", "Export JSON lines")}
            </div>
          ) : null}
        </div>
        {result.ok ? histogram : null}
        {result.ok ? note : null}
        {!result.ok ? (
          <ErrorBanner error={result.error} title="These filters cannot be applied" />
        ) : result.value.events.length === 0 ? (
          <p className="empty" data-testid="empty-state">
            {empty}
          </p>
        ) : (
          <>
            {table}
            <Pager path="/events" params={pageParams} newer={result.value.newer} older={result.value.older} />
          </>
        )}
      </section>
    </>
  );
}

function TotalText({ total }: { total: EventTotal }) {
  if (total.exact) {
    return <span data-testid="event-total">{formatCount(total.value)} events</span>;
  }
  const basis = total.basis === "rollups" ? "estimated from the rollups" : "estimated by PostgreSQL";
  return (
    <span data-testid="event-total">
      About {formatCount(total.value)} events{" "}
      <span className="hint">({basis}; more than can be counted quickly)</span>
    </span>
  );
}

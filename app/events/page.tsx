import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminEventTable } from "@/app/_components/admin-event-table";
import { ErrorBanner } from "@/app/_components/error-banner";
import { AdminEventFilters, UserEventFilters } from "@/app/_components/event-filters";
import { hrefWith } from "@/app/_components/format/href-with";
import { Pager } from "@/app/_components/pager";
import { PresetLinks } from "@/app/_components/preset-links";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { UserEventTable } from "@/app/_components/user-event-table";
import { getPageViewer } from "@/lib/auth/get-viewer";
import type { Role } from "@/lib/auth/roles";
import { getSql } from "@/lib/db/sql";
import type { EventTotal } from "@/lib/queries/events/count-user-events";
import { listRealmOptions } from "@/lib/queries/list-realm-options";
import { loadAdminEventsPage, loadUserEventsPage } from "@/lib/screens/events/load-events-page";
import { toSearchParams } from "@/lib/server/search-params";
import { settle } from "@/lib/server/settle";
import { formatCount } from "@/lib/time/format";

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
      <div className="page-head">
        <div>
          <h1>Events</h1>
          <p className="muted">
            Stored Keycloak events, and the failures of server logs, access logs and reports; newest first.
          </p>
        </div>
      </div>
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
  const result = await settle(loadUserEventsPage(getSql(), role, params, now));
  const exportParams = new URLSearchParams(pageParams);
  exportParams.delete("tab");
  return (
    <>
      <section className="card" aria-labelledby="filters-title">
        <h2 id="filters-title">Filters</h2>
        <UserEventFilters params={params} timeZone={timeZone} options={options} />
      </section>
      <section className="card" aria-labelledby="results-title">
        <div className="page-head">
          <h2 id="results-title">{result.ok ? <TotalText total={result.value.total} /> : "User events"}</h2>
          {result.ok ? (
            <div className="actions">
              <PresetLinks path="/events" params={pageParams} />
              <a
                className="button"
                href={hrefWith("/api/events/export", exportParams, { format: "csv" })}
                data-testid="export-csv"
              >
                Export CSV
              </a>
              <a
                className="button"
                href={hrefWith("/api/events/export", exportParams, { format: "jsonl" })}
                data-testid="export-jsonl"
              >
                Export JSON lines
              </a>
            </div>
          ) : null}
        </div>
        {!result.ok ? (
          <ErrorBanner error={result.error} title="These filters cannot be applied" />
        ) : result.value.events.length === 0 ? (
          <p className="empty" data-testid="empty-state">
            No events match these filters in this time range. Widen the range or remove a filter.
          </p>
        ) : (
          <>
            <UserEventTable
              events={result.value.events}
              timeZone={timeZone}
              caption="User events matching the filters"
            />
            <Pager path="/events" params={pageParams} newer={result.value.newer} older={result.value.older} />
          </>
        )}
      </section>
    </>
  );
}

async function AdminTab({ params, pageParams, timeZone, now, options, role }: TabProps) {
  const result = await settle(loadAdminEventsPage(getSql(), role, params, now));
  const exportParams = new URLSearchParams(pageParams);
  exportParams.delete("tab");
  exportParams.set("kind", "admin");
  return (
    <>
      <section className="card" aria-labelledby="filters-title">
        <h2 id="filters-title">Filters</h2>
        <AdminEventFilters params={params} timeZone={timeZone} options={options} />
      </section>
      <section className="card" aria-labelledby="results-title">
        <div className="page-head">
          <h2 id="results-title">Admin events</h2>
          {result.ok ? (
            <div className="actions">
              <PresetLinks path="/events" params={pageParams} />
              <a className="button" href={hrefWith("/api/events/export", exportParams, { format: "csv" })}>
                Export CSV
              </a>
              <a className="button" href={hrefWith("/api/events/export", exportParams, { format: "jsonl" })}>
                Export JSON lines
              </a>
            </div>
          ) : null}
        </div>
        {!result.ok ? (
          <ErrorBanner error={result.error} title="These filters cannot be applied" />
        ) : result.value.events.length === 0 ? (
          <p className="empty" data-testid="empty-state">
            No admin events match. Keycloak saves admin events only when the realm's Admin events settings
            have Save events on.
          </p>
        ) : (
          <>
            <AdminEventTable
              events={result.value.events}
              timeZone={timeZone}
              caption="Admin events matching the filters"
            />
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

import type { Metadata } from "next";
import { AdminChangeLine } from "@/app/_components/admin-change-line";
import { DataTable, num } from "@/app/_components/data-table";
import { FailureChart } from "@/app/_components/failure-chart";
import { FixOrTitle } from "@/app/_components/fix-or-title";
import { toFailureChartData } from "@/app/_components/format/failure-chart-data";
import { drilldownAddress, type SearchParams } from "@/app/_components/format/page-address";
import { Ident, IdentText } from "@/app/_components/ident";
import { PresetLinks } from "@/app/_components/preset-links";
import { ScreenPage } from "@/app/_components/screen-page";
import { SeriesTable } from "@/app/_components/series-table";
import { SPIKES_SHOWN, SpikeList } from "@/app/_components/spike-list";
import { TopErrorsTable, TopUsersTable } from "@/app/_components/top-tables";
import { ClientLink, UserLink } from "@/app/_components/user-link";
import { getPageViewer } from "@/lib/auth/get-viewer";
import { causeTitle } from "@/lib/classify/cause-title";
import { getSql } from "@/lib/db/sql";
import { fixLink } from "@/lib/fixes/fix-link";
import { SCAN_LIMIT } from "@/lib/queries/drilldown/clients-in-details";
import {
  type ClientPage,
  loadClientPage,
  type NamedFailures,
} from "@/lib/screens/drilldown/load-client-page";
import { settleFor } from "@/lib/screens/for-viewer";
import { formatCount, formatTime } from "@/lib/time/format";

export const metadata: Metadata = { title: "Client" };

type Props = { params: Promise<{ realm: string; clientId: string }>; searchParams: SearchParams };

export default async function ClientPageView({ params, searchParams }: Props) {
  const { path, query, self } = await drilldownAddress(
    "/clients",
    ["realm", "clientId"],
    params,
    searchParams,
  );
  const { role } = await getPageViewer();
  const result = await settleFor(role, loadClientPage(getSql(), role, path, query, Date.now()));
  return (
    <ScreenPage result={result} title={`Client ${path.clientId}`}>
      {(page) => <ClientBody page={page} self={self} query={query} />}
    </ScreenPage>
  );
}

function ClientBody({ page, self, query }: { page: ClientPage; self: string; query: URLSearchParams }) {
  const { drilldown: d, filter, spikes } = page;
  const tz = filter.timeZone;
  const realm = filter.realm;
  const explore = new URLSearchParams({ realm, client: d.clientId, tz, outcome: "failures" });
  for (const key of ["range", "from", "to"]) {
    const v = query.get(key);
    if (v) explore.set(key, v);
  }
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="client-name">{d.clientId}</h1>
          <p className="muted">
            Client in realm {realm}
            {d.uuids.length > 0 ? (
              <>
                {" "}
                (id{d.uuids.length > 1 ? "s" : ""} <code>{d.uuids.join(", ")}</code>)
              </>
            ) : null}
            . <a href={`/events?${explore.toString()}`}>Its failures in the explorer</a>
          </p>
        </div>
        <PresetLinks path={self} params={query} />
      </div>
      <section className="card" aria-labelledby="mix-title">
        <h2 id="mix-title">Failures by cause</h2>
        <p>
          <span className="stat">{formatCount(d.series.total)}</span> failures in this range.
        </p>
        {d.series.total === 0 ? (
          <p className="empty" data-testid="empty-state">
            No failures filed under this client in this range
            {page.refusals.total > 0 ? (
              <>
                ; it is the API or audience of{" "}
                <a href="#refused-title">{formatCount(page.refusals.total)} failures of other clients</a>
              </>
            ) : null}
            {page.byUserAgent.total > 0 ? (
              <>
                {"; "}
                <a href="#agents-title">{formatCount(page.byUserAgent.total)} access-log failures</a> name it
                by user agent
              </>
            ) : null}
            .
          </p>
        ) : (
          <>
            <FailureChart
              data={toFailureChartData(d.series, spikes.slice(0, SPIKES_SHOWN), tz, {
                explore,
                changes: d.adminEvents.map((c) => ({ ...c, realm })),
              })}
              title={`Failures of ${d.clientId} per ${d.series.bucket}`}
            />
            <SeriesTable series={d.series} timeZone={tz} explore={explore} />
          </>
        )}
        <SpikeList spikes={spikes} timeZone={tz} explore={explore} />
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="errors-title">
          <h2 id="errors-title">Errors</h2>
          <TopErrorsTable
            errors={d.topErrors}
            fix={(e) => fixLink({ cause: e.cause, realm, clientId: d.clientId })}
          />
        </section>
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title">Affected users</h2>
          <TopUsersTable users={d.topUsers} realm={realm} explore={explore} />
        </section>
      </div>
      <NamedFailuresSection
        id="refused"
        testId="client-refusals"
        title="Refused by this API / as audience"
        intro={`Failures of other clients whose tokens ${d.clientId} refused as an API, or that asked for ${d.clientId} as their audience. They are filed under the caller and listed here too.`}
        groupTitle="Caller"
        list={page.refusals}
        realm={realm}
        tz={tz}
        empty="None in this range: no token exchange or UMA request asked for this client as audience, and no resource-server report named it."
      />
      {page.byUserAgent.total > 0 ? (
        <NamedFailuresSection
          id="agents"
          testId="client-user-agents"
          title="Failures by its user agent"
          intro={`Access-log failures without a token, whose user agent names ${d.clientId}.`}
          groupTitle="User agent"
          list={page.byUserAgent}
          realm={realm}
          tz={tz}
          empty=""
        />
      ) : null}
      <section className="card" aria-labelledby="admin-title">
        <h2 id="admin-title">Admin changes to this client</h2>
        {d.uuids.length === 0 ? (
          <p className="empty">
            Its internal id is not known yet: Keycloak's admin events identify clients by internal id, which
            realmwatch learns from the realm's client list (the view-clients role) or a saved representation
            of the client (admin events with Include representation on).
          </p>
        ) : d.adminEvents.length === 0 ? (
          <p className="empty">No changes to the client from a week before this range until its end.</p>
        ) : (
          <ol className="timeline" data-testid="client-admin-events">
            {d.adminEvents.map((a) => (
              <li key={a.id} className="admin">
                <div className="nowrap muted">{formatTime(a.time, tz)}</div>
                <AdminChangeLine entry={a} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent failures</h2>
        {d.recentFailures.length === 0 ? (
          <p className="empty">None in this range.</p>
        ) : (
          <DataTable
            columns={["Time", "Type", "Error", "User", "IP address", "Cause"]}
            testId="client-recent-failures"
            wrap
          >
            {d.recentFailures.slice(0, 20).map((f) => (
              <tr key={f.id}>
                <td className="nowrap">{formatTime(f.time, tz)}</td>
                <td>{f.type}</td>
                <td>{f.error ?? ""}</td>
                <td>
                  <UserLink realm={realm} userId={f.userId} username={f.username} />
                </td>
                <td>{f.ipAddress ?? ""}</td>
                <td>{f.cause ? causeTitle(f.cause) : ""}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

function NamedFailuresSection({
  id,
  testId,
  title,
  intro,
  groupTitle,
  list,
  realm,
  tz,
  empty,
}: {
  id: string;
  testId: string;
  title: string;
  intro: string;
  groupTitle: string;
  list: NamedFailures;
  realm: string;
  tz: string;
  empty: string;
}) {
  const byCaller = groupTitle === "Caller";
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="muted">{intro}</p>
      {list.total === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <>
          <DataTable
            columns={[groupTitle, num("Failures"), "Main cause", "Last seen"]}
            caption={`${title}, by ${groupTitle.toLowerCase()}`}
            testId={`${testId}-groups`}
            wrap
          >
            {list.groups.map((g) => (
              <tr key={g.key ?? ""}>
                <td>
                  {g.key === null ? (
                    <span className="muted">none recorded</span>
                  ) : byCaller ? (
                    <ClientLink realm={realm} clientId={g.key} />
                  ) : (
                    <code>{g.key}</code>
                  )}
                </td>
                <td className="num">{formatCount(g.failures)}</td>
                <td>
                  {g.topCause ? (
                    <ClientFix cause={g.topCause} realm={realm} clientId={byCaller ? g.key : null} />
                  ) : (
                    ""
                  )}
                </td>
                <td className="nowrap">{formatTime(g.lastSeen, tz)}</td>
              </tr>
            ))}
          </DataTable>
          <h3>Latest</h3>
          <DataTable
            columns={["Time", byCaller ? "Caller" : "IP address", "What", "User", "Cause"]}
            caption={`${title}: the latest`}
            testId={`${testId}-recent`}
            wrap
          >
            {list.recent.map((f) => (
              <tr key={`${f.sourceId}/${f.id}`}>
                <td className="nowrap">{formatTime(f.time, tz)}</td>
                <td className="nowrap">
                  {byCaller ? <ClientLink realm={realm} clientId={f.clientId} /> : (f.ipAddress ?? "")}
                </td>
                <td>
                  {f.httpMethod && f.httpPath ? (
                    <code>
                      {f.httpMethod} {f.httpPath}
                      {f.httpStatus ? ` → ${f.httpStatus}` : ""}
                    </code>
                  ) : (
                    <>
                      <Ident value={f.type} />
                      {f.error ? (
                        <>
                          {" "}
                          <Ident value={f.error} />
                        </>
                      ) : null}
                    </>
                  )}
                  {f.evidence ? (
                    <div className="hint">
                      <IdentText text={f.evidence} />
                    </div>
                  ) : null}
                </td>
                <td className="nowrap">
                  <UserLink realm={realm} userId={f.userId} username={f.username} />
                </td>
                <td className="nowrap">
                  {f.cause ? <ClientFix cause={f.cause} realm={realm} clientId={f.clientId} /> : ""}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {list.complete ? null : (
        <p className="hint">
          Counted among the realm's newest {formatCount(SCAN_LIMIT)} {byCaller ? "refused" : "tokenless"}{" "}
          failures of the range.
        </p>
      )}
    </section>
  );
}

function ClientFix({ cause, realm, clientId }: { cause: string; realm: string; clientId: string | null }) {
  return <FixOrTitle title={causeTitle(cause)} fix={fixLink({ cause, realm, clientId })} />;
}

import type { Metadata } from "next";
import { DataTable, num } from "@/app/_components/data-table";
import { FailureChart } from "@/app/_components/failure-chart";
import { toFailureChartData } from "@/app/_components/format/failure-chart-data";
import type { SearchParams } from "@/app/_components/format/page-address";
import { Ident, IdentText } from "@/app/_components/ident";
import { NamedText, SuspectSummary } from "@/app/_components/named-text";
import { ScreenPage } from "@/app/_components/screen-page";
import { SeriesTable } from "@/app/_components/series-table";
import { ClientLink, UserLink } from "@/app/_components/user-link";
import { DIMENSIONS } from "@/lib/analytics/attribution";
import { getPageViewer } from "@/lib/auth/get-viewer";
import { causeTitle } from "@/lib/classify/cause-title";
import { getSql } from "@/lib/db/sql";
import { settleFor } from "@/lib/screens/for-viewer";
import { loadPatternPage, type PatternPage } from "@/lib/screens/patterns/load-pattern-page";
import { toSearchParams } from "@/lib/server/search-params";
import { formatCount, formatInstantInput, formatMinute, formatShare, formatTime } from "@/lib/time/format";

export const metadata: Metadata = { title: "Pattern" };

const DIMENSION_TITLES: Record<(typeof DIMENSIONS)[number], string> = {
  cause: "Causes",
  client: "Clients",
  user: "Users",
  ip: "IP addresses",
  error: "Errors",
};

type Props = { params: Promise<{ id: string }>; searchParams: SearchParams };

export default async function PatternPageView({ params, searchParams }: Props) {
  const { id } = await params;
  const { role } = await getPageViewer();
  const result = await settleFor(
    role,
    loadPatternPage(getSql(), role, id, toSearchParams(await searchParams), Date.now()),
  );
  return (
    <ScreenPage result={result} title="Pattern">
      {(page) => <PatternBody page={page} />}
    </ScreenPage>
  );
}

function PatternBody({ page }: { page: PatternPage }) {
  const { pattern: p, series, attribution, samples } = page.detail;
  const tz = page.timeZone;
  const where =
    p.scopeKind === "client" ? (
      <>
        client <ClientLink realm={p.realm} clientId={p.scopeValue} />
      </>
    ) : p.scopeKind === "user" ? (
      <>
        user{" "}
        <UserLink realm={p.realm} userId={p.scopeValue} username={page.usernames[p.scopeValue] ?? null} />
      </>
    ) : p.scopeValue === "*" ? (
      "every client of the realm"
    ) : (
      "the realm's failures that name no client"
    );
  const explore = new URLSearchParams({
    realm: p.realm,
    cause: p.cause,
    tz,
    from: formatInstantInput(p.firstSeen, tz, "start"),
    to: formatInstantInput(Math.max(p.lastSeen - 1, p.firstSeen), tz, "end"),
    outcome: "failures",
  });
  if (p.scopeKind === "client") explore.set("client", p.scopeValue);
  if (p.scopeKind === "user") explore.set("user", p.scopeValue);
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="pattern-title">
            {causeTitle(p.cause)} in {p.realm}, {where}
          </h1>
          <p className="muted">
            {p.status === "resolved" ? "Resolved" : p.status === "ongoing" ? "Ongoing" : "Open"} · since{" "}
            {formatMinute(p.firstSeen, tz)} · last seen {formatMinute(p.lastSeen, tz)} ·{" "}
            <a href="/patterns">what the statuses mean</a>
          </p>
        </div>
        {page.fixHref ? (
          <a className="button primary" href={page.fixHref} data-testid="pattern-fix">
            How to fix: {causeTitle(p.cause)}
          </a>
        ) : null}
      </div>
      <section className="card" aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence</h2>
        <div className="stats">
          <div>
            <div className="stat">{formatCount(p.eventCount)}</div>
            <div className="stat-label">failures</div>
          </div>
          <div>
            <div className="stat">{formatCount(p.affectedUsers)}</div>
            <div className="stat-label">users affected</div>
          </div>
          <div>
            <div className="stat">{p.baseline === null ? "—" : formatCount(Math.round(p.baseline))}</div>
            <div className="stat-label">usual failures per hour</div>
          </div>
        </div>
        {p.evidence ? (
          <p data-testid="pattern-evidence">
            <IdentText text={p.evidence} />
          </p>
        ) : null}
        <p>
          <a href={`/events?${explore.toString()}`}>These failures in the explorer</a>
        </p>
        {series.total > 0 ? (
          <>
            <FailureChart
              data={toFailureChartData(series, [{ from: p.firstSeen, to: p.lastSeen, cause: p.cause }], tz, {
                explore,
                changes: page.suspects.map((c) => ({ ...c, sourceId: p.sourceId, realm: p.realm })),
                shading: "pattern",
              })}
              title="Failures per hour around the pattern"
            />
            <SeriesTable series={series} timeZone={tz} explore={explore} />
          </>
        ) : null}
      </section>
      <section className="card" aria-labelledby="suspects-title">
        <h2 id="suspects-title">Suspected admin changes</h2>
        {page.suspects.length === 0 ? (
          <p className="empty">
            No admin change in the 24 hours before it began explains it (or admin events are not saved for
            this realm).
          </p>
        ) : (
          <ol className="timeline" data-testid="suspected-changes">
            {page.suspects.map((c) => (
              <li key={c.adminEventId} className="admin" data-testid="suspect">
                <div className="nowrap muted">
                  {formatMinute(c.time, tz)} · likelihood {formatShare(c.score)}
                </div>
                <strong>{c.title}</strong>: <SuspectSummary suspect={c} />
                <div>
                  <NamedText parts={c.reason} />
                </div>
                <div className="muted">
                  {c.operationType} {c.resourceType ?? ""}{" "}
                  <code title={c.resourcePath ?? undefined}>
                    <NamedText parts={c.path} />
                  </code>
                  {c.changedFields && c.changedFields.length > 0
                    ? `; changed ${c.changedFields.join(", ")}`
                    : ""}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="card" aria-labelledby="attribution-title">
        <h2 id="attribution-title">What accounts for the increase</h2>
        <p className="muted">Each value's share of the failures above what the week before predicts.</p>
        <div className="grid">
          {DIMENSIONS.filter((dim) => attribution[dim].contributors.length > 0).map((dim) => (
            <div key={dim}>
              <h3>{DIMENSION_TITLES[dim]}</h3>
              <DataTable columns={["Value", num("Share"), num("Failures")]}>
                {attribution[dim].contributors.map((c) => (
                  <tr key={c.value}>
                    <td>
                      {dim === "user" ? (
                        <UserLink
                          realm={p.realm}
                          userId={c.value}
                          username={page.usernames[c.value] ?? null}
                        />
                      ) : dim === "cause" ? (
                        causeTitle(c.value)
                      ) : dim === "client" && c.value !== "" ? (
                        <ClientLink realm={p.realm} clientId={c.value} />
                      ) : c.value === "" ? (
                        <span className="muted">none</span>
                      ) : (
                        <Ident value={c.value} />
                      )}
                      {c.isNew ? <span className="pill"> new</span> : null}
                    </td>
                    <td className="num">{formatShare(c.share)}</td>
                    <td className="num">{formatCount(c.observed)}</td>
                  </tr>
                ))}
              </DataTable>
            </div>
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="samples-title">
        <h2 id="samples-title">Sample events</h2>
        {samples.length === 0 ? (
          <p className="empty">No sample kept.</p>
        ) : (
          <DataTable
            columns={["Time", "Type", "Error", "Client", "User", "Evidence"]}
            testId="pattern-samples"
            wrap
          >
            {samples.map((s) => (
              <tr key={s.id}>
                <td className="nowrap">{formatTime(s.time, tz)}</td>
                <td>
                  <Ident value={s.type} />
                </td>
                <td>
                  <Ident value={s.error} />
                </td>
                <td>
                  <ClientLink realm={p.realm} clientId={s.clientId} />
                </td>
                <td>
                  <UserLink
                    realm={p.realm}
                    userId={s.userId}
                    username={s.userId ? (page.usernames[s.userId] ?? null) : null}
                  />
                </td>
                <td>{s.evidence ?? ""}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

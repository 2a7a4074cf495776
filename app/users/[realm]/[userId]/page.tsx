import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminChangeLine } from "@/app/_components/admin-change-line";
import { DataTable } from "@/app/_components/data-table";
import { groupTimeline } from "@/app/_components/format/group-timeline";
import { drilldownAddress, type SearchParams } from "@/app/_components/format/page-address";
import { Ident, IdentText } from "@/app/_components/ident";
import { PresetLinks } from "@/app/_components/preset-links";
import { ScreenPage } from "@/app/_components/screen-page";
import { getPageViewer } from "@/lib/auth/get-viewer";
import { causeTitle } from "@/lib/classify/cause-title";
import { getSql } from "@/lib/db/sql";
import { fixLink } from "@/lib/fixes/fix-link";
import { impersonatorLabel } from "@/lib/keycloak/session-events";
import type { LockoutState, UserTimelineEvent } from "@/lib/queries/drilldown/user-drilldown";
import { loadUserPage, type UserPageDrilldown } from "@/lib/screens/drilldown/load-user-page";
import { settleFor } from "@/lib/screens/for-viewer";
import { formatCount, formatTime } from "@/lib/time/format";

export const metadata: Metadata = { title: "User" };

type Props = { params: Promise<{ realm: string; userId: string }>; searchParams: SearchParams };

export default async function UserPage({ params, searchParams }: Props) {
  const { path, query, self } = await drilldownAddress("/users", ["realm", "userId"], params, searchParams);
  const { role } = await getPageViewer();
  const result = await settleFor(role, loadUserPage(getSql(), role, path, query, Date.now()));
  return (
    <ScreenPage result={result} title="User">
      {(page) => (
        <UserBody
          page={page.drilldown}
          realm={path.realm}
          tz={page.filter.timeZone}
          self={self}
          query={query}
        />
      )}
    </ScreenPage>
  );
}

function UserBody({
  page: d,
  realm,
  tz,
  self,
  query,
}: {
  page: UserPageDrilldown;
  realm: string;
  tz: string;
  self: string;
  query: URLSearchParams;
}) {
  const name = d.names[0]?.username ?? d.userId;
  const topClientOf = (cause: string) =>
    d.events.find((e) => e.cause === cause && e.clientId)?.clientId ?? null;
  const timeline = groupTimeline(d.events, d.adminEvents);
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="user-name">{name}</h1>
          <p className="muted">
            User <code>{d.userId}</code> in realm {realm}. Why can this user not log in?
          </p>
        </div>
        <PresetLinks path={self} params={query} />
      </div>
      <div className="grid">
        <section className="card" aria-labelledby="lockout-title">
          <h2 id="lockout-title">Brute-force lockout</h2>
          <Lockout
            lockout={d.lockout}
            tz={tz}
            fix={fixLink({ cause: "user-state", realm, userId: d.userId })}
          />
        </section>
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">Failures in this range</h2>
          <p>
            <span className="stat">{formatCount(d.failures)}</span>{" "}
            {d.failures === 1 ? "failure" : "failures"} and {formatCount(d.successes)}{" "}
            {d.successes === 1 ? "success" : "successes"}. Last successful login or token:{" "}
            {d.lastSuccess ? formatTime(d.lastSuccess, tz) : "none seen"}.
          </p>
          {d.summarizedFrom !== null ? (
            <p className="muted" data-testid="summarized-note">
              Whole days from {new Date(d.summarizedFrom).toISOString().slice(0, 10)} (UTC) are counted from
              daily summaries: their raw events have expired, so they are not in the timeline.
            </p>
          ) : null}
          {d.byCause.length > 0 ? (
            <ul>
              {d.byCause.map((c) => {
                const fix = fixLink({
                  cause: c.cause,
                  realm,
                  userId: d.userId,
                  clientId: topClientOf(c.cause),
                });
                return (
                  <li key={c.cause}>
                    {causeTitle(c.cause)}: {formatCount(c.failures)}
                    {fix ? (
                      <>
                        {" "}
                        — <a href={fix}>how to fix</a>
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : null}
          <p>
            <a
              href={`/events?realm=${encodeURIComponent(realm)}&user=${encodeURIComponent(d.userId)}&tz=${encodeURIComponent(tz)}&range=30d`}
            >
              All of this user's events in the explorer
            </a>
          </p>
        </section>
        <section className="card" aria-labelledby="names-title">
          <h2 id="names-title">Usernames seen</h2>
          {d.names.length === 0 ? (
            <p className="empty">No username recorded for this id.</p>
          ) : (
            <DataTable columns={["Username", "E-mail", "Last seen"]}>
              {d.names.map((n) => (
                <tr key={n.username}>
                  <td>{n.username}</td>
                  <td>{n.email ?? "—"}</td>
                  <td className="nowrap">{formatTime(n.lastSeen, tz).slice(0, 16)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions and impersonation</h2>
        <SessionsAndImpersonation d={d} tz={tz} />
      </section>
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <p className="muted">The user's events and the admin changes that touched the user, newest first.</p>
        {timeline.length === 0 ? (
          <p className="empty" data-testid="empty-state">
            Nothing in this range. Choose a longer range above.
          </p>
        ) : (
          <ol className="timeline" data-testid="user-timeline">
            {timeline.map((t) =>
              t.kind === "event" ? (
                <EventItem key={`e/${t.event.id}`} event={t.event} realm={realm} userId={d.userId} tz={tz} />
              ) : t.kind === "repeat" ? (
                <EventItem
                  key={`r/${t.newest.id}`}
                  event={t.newest}
                  repeat={{ count: t.count, from: t.oldest.time }}
                  realm={realm}
                  userId={d.userId}
                  tz={tz}
                />
              ) : (
                <li key={`a/${t.admin.id}`} className="admin" data-testid="timeline-admin">
                  <div className="nowrap muted">{formatTime(t.at, tz)}</div>
                  <AdminChangeLine entry={t.admin} />
                </li>
              ),
            )}
          </ol>
        )}
      </section>
    </>
  );
}

/** "10:02:11 – 14:55:40" on one day, the full times across days. */
/** A run's first and last time, each kept on one line; a phone breaks between them. */
function span(from: number, to: number, tz: string): ReactNode {
  const a = formatTime(from, tz);
  const b = formatTime(to, tz);
  return (
    <>
      <span className="nowrap">{a}</span> –{" "}
      <span className="nowrap">{a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b}</span>
    </>
  );
}

/** One event of the timeline, or (with `repeat`) the newest of a run of identical failures, with its count. */
function EventItem({
  event: e,
  repeat,
  realm,
  userId,
  tz,
}: {
  event: UserTimelineEvent;
  repeat?: { count: number; from: number };
  realm: string;
  userId: string;
  tz: string;
}) {
  const fix = e.cause ? fixLink({ cause: e.cause, realm, userId, clientId: e.clientId }) : null;
  return (
    <li
      className={e.type.includes("LOCKOUT") ? "lockout" : e.isFailure ? "failure" : undefined}
      data-testid={repeat ? "timeline-repeat" : undefined}
    >
      <div className={repeat ? "muted" : "nowrap muted"}>
        {repeat ? span(repeat.from, e.time, tz) : formatTime(e.time, tz)}
      </div>
      {repeat ? <strong>{formatCount(repeat.count)}× </strong> : null}
      <strong>
        <Ident value={e.type} />
      </strong>
      {e.error ? (
        <>
          {" "}
          <code>{e.error}</code>
        </>
      ) : null}
      {e.clientId ? ` via ${e.clientId}` : ""}
      {e.ipAddress ? ` from ${e.ipAddress}` : ""}
      {e.sessionEndReason ? ` (${e.sessionEndReason})` : ""}
      {e.impersonator ? (
        <span data-testid="impersonated-by"> — impersonated by {impersonatorLabel(e.impersonator)}</span>
      ) : null}
      {e.cause ? (
        <div>
          {causeTitle(e.cause)}
          {e.evidence ? (
            <>
              : <IdentText text={e.evidence} />
            </>
          ) : null}{" "}
          {fix && e.cause ? (
            <a href={fix}>
              Fix<span className="visually-hidden">: {causeTitle(e.cause)}</span>
            </a>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * Sessions Keycloak ended by itself (USER_SESSION_DELETED, 26.5+; saved only when the realm saves that type) and
 * who acted as the user (IMPERSONATE; since 26.8 also the impersonated session's token events).
 */
function SessionsAndImpersonation({ d, tz }: { d: UserPageDrilldown; tz: string }) {
  const deleted = d.sessionsDeleted.reduce((n, s) => n + s.count, 0);
  return (
    <div data-testid="sessions-impersonation">
      {deleted === 0 ? (
        <p className="muted">
          No session removed by Keycloak in this range (USER_SESSION_DELETED, Keycloak 26.5 and later, is
          saved only when the realm adds it to its saved event types).
        </p>
      ) : (
        <p data-testid="sessions-deleted">
          Keycloak removed {formatCount(deleted)} {deleted === 1 ? "session" : "sessions"} of this user:{" "}
          {d.sessionsDeleted
            .map((s) => `${s.reason ?? "no reason given"} ${formatCount(s.count)}`)
            .join(", ")}
          ; last at {formatTime(Math.max(...d.sessionsDeleted.map((s) => s.lastAt)), tz)}.
        </p>
      )}
      {d.impersonations.length === 0 ? (
        <p className="muted">No impersonation of this user in this range.</p>
      ) : (
        <ul data-testid="impersonations">
          {d.impersonations.map((i) => (
            <li key={JSON.stringify(i.impersonator)}>
              Impersonated by {impersonatorLabel(i.impersonator) ?? "an unnamed admin"}:{" "}
              {formatCount(i.events)} {i.events === 1 ? "event" : "events"}, last at{" "}
              {formatTime(i.lastAt, tz)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Lockout({ lockout, tz, fix }: { lockout: LockoutState; tz: string; fix: string | null }) {
  if (lockout.state === "none") {
    return (
      <p data-testid="lockout-state">
        No lockout recorded (events <Ident value="USER_DISABLED_BY_TEMPORARY_LOCKOUT" /> /{" "}
        <Ident value="USER_DISABLED_BY_PERMANENT_LOCKOUT" /> are saved only when enabled).
      </p>
    );
  }
  const kind = lockout.permanent ? "permanently" : "temporarily";
  if (lockout.state === "locked") {
    return (
      <div data-testid="lockout-state">
        <p className="status-error">
          Locked {kind} by brute-force detection at {formatTime(lockout.lockedAt, tz)}; logins denied since{" "}
          {formatTime(lockout.deniedSince, tz)}.
        </p>
        {lockout.permanent ? null : (
          <p className="hint">
            A temporary lockout also ends after the realm's wait time, which no event records.
          </p>
        )}
        {fix ? <a href={fix}>How to unlock and prevent it</a> : null}
      </div>
    );
  }
  return (
    <p data-testid="lockout-state">
      Locked {kind} at {formatTime(lockout.lockedAt, tz)}; cleared at {formatTime(lockout.clearedAt, tz)}{" "}
      {lockout.clearedBy === "admin" ? "by an admin" : "by a successful login"}.
    </p>
  );
}

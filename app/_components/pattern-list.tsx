import { causeTitle } from "@/lib/classify/cause-title";
import { fixLink } from "@/lib/fixes/fix-link";
import type { PatternSort } from "@/lib/queries/patterns/list-patterns";
import type { PatternRow } from "@/lib/screens/patterns/name-patterns";
import { formatCount, formatMinute } from "@/lib/time/format";
import { NamedId, SuspectSummary } from "./named-text";
import { ScrollBox } from "./scroll-box";
import { ClientLink } from "./user-link";

const STATUS_TEXT = { open: "Open", ongoing: "Ongoing", resolved: "Resolved" } as const;

/** Patterns, one row each: where, how big, since when, the likeliest admin change by name, and the fix. */
export function PatternList({
  patterns,
  timeZone,
  empty,
  sort,
  compact = false,
}: {
  patterns: PatternRow[];
  timeZone: string;
  empty: string;
  /** The order the rows are in, marked on its column. */
  sort?: PatternSort;
  /** Without the last-seen, total-failures and clients columns (the overview's card). */
  compact?: boolean;
}) {
  if (patterns.length === 0) return <p className="empty">{empty}</p>;
  const sorted = (key: PatternSort) => (sort === key ? ("descending" as const) : undefined);
  return (
    <ScrollBox>
      <table className="data-table patterns-table" data-testid="patterns">
        <caption className="visually-hidden">Patterns</caption>
        <thead>
          <tr>
            <th scope="col">Pattern</th>
            <th scope="col">Status</th>
            <th scope="col" aria-sort={sorted("start")}>
              Since
            </th>
            {compact ? null : (
              <th scope="col" aria-sort={sorted("last-seen")}>
                Last seen
              </th>
            )}
            <th scope="col" className="num" aria-sort={sorted("impact")}>
              Failures
              <br />
              in 24 h
            </th>
            {compact ? null : (
              <th scope="col" className="num" aria-sort={sorted("failures")}>
                Failures
                <br />
                in all
              </th>
            )}
            <th scope="col" className="num">
              Users
            </th>
            {compact ? null : (
              <th scope="col" className="num">
                Clients
              </th>
            )}
            <th scope="col">Suspected change</th>
            <th scope="col">Fix</th>
          </tr>
        </thead>
        <tbody>
          {patterns.map((p) => {
            const fix = fixLink({
              cause: p.cause,
              realm: p.realm,
              clientId: p.clientId,
              userId: p.userId,
              pattern: p.id,
            });
            return (
              <tr key={p.id} data-testid="pattern-row" data-pattern-id={p.id}>
                <td className="pattern-cell">
                  <a href={`/patterns/${p.id}`}>{causeTitle(p.cause)}</a>
                  <div className="muted" data-testid="pattern-where">
                    {p.realm}
                    {p.scopeKind === "client" ? (
                      <>
                        {" · client "}
                        <ClientLink realm={p.realm} clientId={p.scopeValue} />
                      </>
                    ) : p.scopeKind === "user" ? (
                      <>
                        {" · user "}
                        <a href={`/users/${encodeURIComponent(p.realm)}/${encodeURIComponent(p.scopeValue)}`}>
                          <NamedId id={p.scopeValue} kind="user" name={p.scopeName} />
                        </a>
                      </>
                    ) : p.scopeValue === "*" ? (
                      " · every client"
                    ) : (
                      " · failures naming no client"
                    )}
                  </div>
                </td>
                <td className="nowrap" data-testid="pattern-status">
                  {STATUS_TEXT[p.status] ?? p.status}
                  <div className="muted">{p.kind}</div>
                </td>
                <td className="nowrap">
                  <When at={p.firstSeen} timeZone={timeZone} />
                </td>
                {compact ? null : (
                  <td className="nowrap">
                    <When at={p.lastSeen} timeZone={timeZone} />
                  </td>
                )}
                <td className="num" data-testid="pattern-failures-24h">
                  {formatCount(p.failures24h)}
                </td>
                {compact ? null : (
                  <td className="num" data-testid="pattern-failures">
                    {formatCount(p.eventCount)}
                  </td>
                )}
                <td className="num">{formatCount(p.affectedUsers)}</td>
                {compact ? null : <td className="num">{formatCount(p.affectedClients)}</td>}
                <td data-testid="pattern-suspect">
                  {p.suspect ? (
                    <SuspectSummary suspect={p.suspect} />
                  ) : (
                    <span className="muted">none found</span>
                  )}
                </td>
                <td>
                  {fix ? (
                    <a href={fix}>
                      Fix<span className="visually-hidden">: {causeTitle(p.cause)}</span>
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
  );
}

/** A date and a time of day on two lines: "2026-12-04" over "05:00 UTC". */
function When({ at, timeZone }: { at: number; timeZone: string }) {
  const text = formatMinute(at, timeZone);
  const space = text.indexOf(" ");
  return (
    <time dateTime={new Date(at).toISOString()}>
      {text.slice(0, space)}
      <br />
      {text.slice(space + 1)}
    </time>
  );
}

import type { PatternSummary } from "@/lib/analytics/queries/list-patterns";
import { causeTitle } from "@/lib/explorer/cause-title";
import { fixLink } from "@/lib/explorer/fix-link";
import { formatCount, formatMinute } from "@/lib/explorer/format";

/** Patterns with their scope, size, suspected change and fix link. */
export function PatternList({
  patterns,
  timeZone,
  empty,
}: {
  patterns: PatternSummary[];
  timeZone: string;
  empty: string;
}) {
  if (patterns.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="patterns">
        <caption className="visually-hidden">Patterns</caption>
        <thead>
          <tr>
            <th scope="col">Cause</th>
            <th scope="col">Where</th>
            <th scope="col">Status</th>
            <th scope="col">Since</th>
            <th scope="col" className="num">
              Failures
            </th>
            <th scope="col" className="num">
              Users
            </th>
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
              <tr key={p.id} data-testid="pattern-row">
                <td>
                  <a href={`/patterns/${p.id}`}>{causeTitle(p.cause)}</a>
                </td>
                <td>
                  {p.realm}
                  {p.scopeKind === "client"
                    ? ` / client ${p.scopeValue}`
                    : p.scopeKind === "user"
                      ? " / one user"
                      : ""}
                </td>
                <td>{p.status}</td>
                <td className="nowrap">{formatMinute(p.firstSeen, timeZone)}</td>
                <td className="num">{formatCount(p.eventCount)}</td>
                <td className="num">{formatCount(p.affectedUsers)}</td>
                <td>{p.topSuspect?.reason ?? <span className="muted">none found</span>}</td>
                <td>{fix ? <a href={fix}>Fix {causeTitle(p.cause).toLowerCase()}</a> : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

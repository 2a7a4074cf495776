import { causeColor } from "@/app/_components/format/cause-colors";
import { hrefWith } from "@/app/_components/format/href-with";
import { causeTitle } from "@/lib/classify/cause-title";
import type { Overview } from "@/lib/screens/overview/load-overview";
import { formatCount } from "@/lib/time/format";
import { ClientLink, UserLink } from "./user-link";

/** Top clients, users, IP addresses and errors of the range; each links to its page or to the explorer. */
export function TopLists({ overview: o, explore }: { overview: Overview; explore: URLSearchParams }) {
  const realm = o.filter.realm;
  const partial = (complete: boolean) =>
    complete ? null : <p className="hint">Ranked over the newest 100,000 failures of the range.</p>;
  return (
    <div className="grid wide">
      <section className="card" aria-labelledby="top-clients">
        <div className="page-head">
          <h2 id="top-clients">Top clients</h2>
          <a href="/clients">Find a client</a>
        </div>
        {o.topClients.length === 0 ? (
          <p className="empty">No failures.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col" className="num">
                  Failures
                </th>
                <th scope="col">Main cause</th>
              </tr>
            </thead>
            <tbody>
              {o.topClients.map((c) => (
                <tr key={c.clientId}>
                  <td>
                    {c.clientId === "" ? (
                      <span className="muted">no client</span>
                    ) : realm ? (
                      <ClientLink realm={realm} clientId={c.clientId} />
                    ) : (
                      <a href={hrefWith("/events", explore, { client: c.clientId })}>{c.clientId}</a>
                    )}
                  </td>
                  <td className="num">{formatCount(c.failures)}</td>
                  <td>
                    {c.causes[0] ? (
                      <>
                        <span className="cause-dot" style={{ background: causeColor(c.causes[0].cause) }} />
                        {causeTitle(c.causes[0].cause)}
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="top-users">
        <h2 id="top-users">Top users</h2>
        {o.topUsers.rows.length === 0 ? (
          <p className="empty">No failures with a user.</p>
        ) : (
          <table className="data-table" data-testid="top-users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col" className="num">
                  Failures
                </th>
                <th scope="col">Main cause</th>
              </tr>
            </thead>
            <tbody>
              {o.topUsers.rows.map((u) => (
                <tr key={u.userId}>
                  <td>
                    {realm ? (
                      <UserLink realm={realm} userId={u.userId} username={u.username} />
                    ) : (
                      <a
                        href={hrefWith("/events", explore, { user: u.userId })}
                        title={`User id ${u.userId}`}
                      >
                        {u.username ?? u.userId}
                      </a>
                    )}
                  </td>
                  <td className="num">{formatCount(u.failures)}</td>
                  <td>{causeTitle(u.topCause)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {partial(o.topUsers.complete)}
      </section>
      <section className="card" aria-labelledby="top-ips">
        <h2 id="top-ips">Top IP addresses</h2>
        {o.topIps.rows.length === 0 ? (
          <p className="empty">No failures with an address.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">IP address</th>
                <th scope="col" className="num">
                  Failures
                </th>
                <th scope="col" className="num">
                  Users
                </th>
              </tr>
            </thead>
            <tbody>
              {o.topIps.rows.map((ip) => (
                <tr key={ip.ipAddress}>
                  <td>
                    <a href={hrefWith("/events", explore, { ip: ip.ipAddress })}>{ip.ipAddress}</a>
                  </td>
                  <td className="num">{formatCount(ip.failures)}</td>
                  <td className="num">{formatCount(ip.users)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {partial(o.topIps.complete)}
      </section>
      <section className="card" aria-labelledby="top-errors">
        <h2 id="top-errors">Top errors</h2>
        {o.topErrors.length === 0 ? (
          <p className="empty">No failures.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Type / error</th>
                <th scope="col" className="num">
                  Failures
                </th>
                <th scope="col">Cause</th>
              </tr>
            </thead>
            <tbody>
              {o.topErrors.map((e) => (
                <tr key={`${e.type}/${e.error}/${e.cause}`}>
                  <td>
                    <a
                      href={hrefWith("/events", explore, {
                        type: e.type,
                        ...(e.error ? { error: e.error } : {}),
                        cause: e.cause === "unknown" ? null : e.cause,
                      })}
                    >
                      <code>{e.type}</code>
                      {e.error ? (
                        <>
                          {" / "}
                          <code>{e.error}</code>
                        </>
                      ) : null}
                    </a>
                  </td>
                  <td className="num">{formatCount(e.failures)}</td>
                  <td>{causeTitle(e.cause)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

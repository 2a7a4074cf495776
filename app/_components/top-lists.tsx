import { causeColor } from "@/app/_components/format/cause-colors";
import { hrefWith } from "@/app/_components/format/href-with";
import { causeTitle } from "@/lib/classify/cause-title";
import type { Overview } from "@/lib/screens/overview/load-overview";
import { formatCount } from "@/lib/time/format";
import { DataTable, num } from "./data-table";
import { TopErrorsTable, TopUsersTable } from "./top-tables";
import { ClientLink } from "./user-link";

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
          <DataTable columns={["Client", num("Failures"), "Main cause"]}>
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
          </DataTable>
        )}
      </section>
      <section className="card" aria-labelledby="top-users">
        <h2 id="top-users">Top users</h2>
        <TopUsersTable users={o.topUsers} realm={realm} explore={explore} testId="top-users" />
        {partial(o.topUsers.complete)}
      </section>
      <section className="card" aria-labelledby="top-ips">
        <h2 id="top-ips">Top IP addresses</h2>
        {o.topIps.rows.length === 0 ? (
          <p className="empty">No failures with an address.</p>
        ) : (
          <DataTable columns={["IP address", num("Failures"), num("Users")]}>
            {o.topIps.rows.map((ip) => (
              <tr key={ip.ipAddress}>
                <td>
                  <a href={hrefWith("/events", explore, { ip: ip.ipAddress })}>{ip.ipAddress}</a>
                </td>
                <td className="num">{formatCount(ip.failures)}</td>
                <td className="num">{formatCount(ip.users)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {partial(o.topIps.complete)}
      </section>
      <section className="card" aria-labelledby="top-errors">
        <h2 id="top-errors">Top errors</h2>
        <TopErrorsTable
          errors={o.topErrors}
          href={(e) =>
            hrefWith("/events", explore, {
              type: e.type,
              ...(e.error ? { error: e.error } : {}),
              cause: e.cause === "unknown" ? null : e.cause,
            })
          }
        />
      </section>
    </div>
  );
}

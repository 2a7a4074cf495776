import { hrefWith } from "@/app/_components/format/href-with";
import { causeTitle } from "@/lib/classify/cause-title";
import type { TopList, TopUser } from "@/lib/queries/overview/list-top-users-and-ips";
import type { TopError } from "@/lib/queries/overview/top-errors";
import { formatCount } from "@/lib/time/format";
import { DataTable, num } from "./data-table";
import { FixOrTitle } from "./fix-or-title";
import { UserLink } from "./user-link";

/** Keycloak's event type and error as Keycloak spells them: `LOGIN_ERROR / invalid_user_credentials`. */
function TypeAndError({ type, error }: { type: string; error: string }) {
  return (
    <>
      <code>{type}</code>
      {error ? (
        <>
          {" / "}
          <code>{error}</code>
        </>
      ) : null}
    </>
  );
}

/**
 * The (type, error, cause) combinations with the most failures: on the overview each links to its failures in the
 * explorer (`href`), on a client's page each cause links to its fix (`fix`).
 */
export function TopErrorsTable({
  errors,
  href,
  fix,
}: {
  errors: TopError[];
  href?: (e: TopError) => string;
  fix?: (e: TopError) => string | null;
}) {
  if (errors.length === 0) return <p className="empty">No failures.</p>;
  return (
    <DataTable columns={["Type / error", num("Failures"), "Cause"]}>
      {errors.map((e) => (
        <tr key={`${e.type}/${e.error}/${e.cause}`}>
          <td>
            {href ? (
              <a href={href(e)}>
                <TypeAndError type={e.type} error={e.error} />
              </a>
            ) : (
              <TypeAndError type={e.type} error={e.error} />
            )}
          </td>
          <td className="num">{formatCount(e.failures)}</td>
          <td>
            <FixOrTitle title={causeTitle(e.cause)} fix={fix?.(e)} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * The users with the most failures, each linking to the user's page; without a realm (the overview over every
 * realm) to the user's failures in the explorer (`explore` holds the explorer's other filters).
 */
export function TopUsersTable({
  users,
  realm,
  explore,
  testId,
}: {
  users: TopList<TopUser>;
  realm: string | null;
  explore: URLSearchParams;
  testId?: string;
}) {
  if (users.rows.length === 0) return <p className="empty">No failures with a user.</p>;
  return (
    <DataTable columns={["User", num("Failures"), "Main cause"]} testId={testId}>
      {users.rows.map((u) => (
        <tr key={u.userId}>
          <td>
            {realm ? (
              <UserLink realm={realm} userId={u.userId} username={u.username} />
            ) : (
              <a href={hrefWith("/events", explore, { user: u.userId })} title={`User id ${u.userId}`}>
                {u.username ?? u.userId}
              </a>
            )}
          </td>
          <td className="num">{formatCount(u.failures)}</td>
          <td>{causeTitle(u.topCause)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

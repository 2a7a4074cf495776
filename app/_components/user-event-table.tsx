import type { UserEventView } from "@/lib/screens/events/user-event-view";
import { formatTime } from "@/lib/time/format";
import { ExpandableRow } from "./expandable-row";
import { Ident } from "./ident";
import { UserEventDetail } from "./user-event-detail";
import { ClientLink, UserLink } from "./user-link";

/** User events, newest first; each row opens to every field, the details and the classification evidence. */
export function UserEventTable({
  events,
  timeZone,
  caption,
}: {
  events: UserEventView[];
  timeZone: string;
  caption: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="user-events">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
            <th scope="col">Time</th>
            <th scope="col">Type</th>
            <th scope="col">Error</th>
            <th scope="col">Client</th>
            <th scope="col">User</th>
            <th scope="col">IP address</th>
            <th scope="col">Cause</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <ExpandableRow
              key={`${e.sourceId}/${e.realm}/${e.id}`}
              className={e.isFailure ? "failure" : undefined}
              testId="event-row"
              colSpan={8}
              label={`Details of ${e.type} at ${formatTime(e.time, timeZone)}`}
              cells={
                <>
                  <td className="nowrap">{formatTime(e.time, timeZone)}</td>
                  <td>
                    {e.isFailure ? <span className="visually-hidden">Failure: </span> : null}
                    <Ident value={e.type} />
                  </td>
                  <td>
                    <Ident value={e.error} />
                  </td>
                  <td>
                    <ClientLink realm={e.realm} clientId={e.clientId} />
                  </td>
                  <td data-testid="event-user">
                    <UserLink realm={e.realm} userId={e.userId} username={e.username} />
                  </td>
                  <td>{e.ipAddress ?? ""}</td>
                  <td>
                    {e.classification ? (
                      e.classification.fixHref ? (
                        <a href={e.classification.fixHref}>{e.classification.causeTitle}</a>
                      ) : (
                        e.classification.causeTitle
                      )
                    ) : (
                      ""
                    )}
                  </td>
                </>
              }
              detail={<UserEventDetail event={e} timeZone={timeZone} />}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

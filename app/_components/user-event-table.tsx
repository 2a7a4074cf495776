import type { UserEventView } from "@/lib/screens/events/user-event-view";
import { formatTime } from "@/lib/time/format";
import { EventTable, type EventTableProps } from "./event-table";
import { FixOrTitle } from "./fix-or-title";
import { Ident } from "./ident";
import { UserEventDetail } from "./user-event-detail";
import { ClientLink, UserLink } from "./user-link";

const COLUMNS = ["Time", "Type", "Error", "Client", "User", "IP address", "Cause"];

/** User events, newest first; each row opens to every field, the details and the classification evidence. */
export function UserEventTable({ events, timeZone, caption }: EventTableProps<UserEventView>) {
  return (
    <EventTable
      events={events}
      caption={caption}
      testId="user-events"
      rowTestId="event-row"
      columns={COLUMNS}
      row={(e) => ({
        className: e.isFailure ? "failure" : undefined,
        label: `Details of ${e.type} at ${formatTime(e.time, timeZone)}`,
        cells: (
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
                <FixOrTitle title={e.classification.causeTitle} fix={e.classification.fixHref} />
              ) : (
                ""
              )}
            </td>
          </>
        ),
        detail: <UserEventDetail event={e} timeZone={timeZone} />,
      })}
    />
  );
}

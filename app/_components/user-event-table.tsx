import type { UserEventView } from "@/lib/screens/events/user-event-view";
import { formatTime } from "@/lib/time/format";
import { type Column, DataTable, DETAILS_COLUMN } from "./data-table";
import { ExpandableRow } from "./expandable-row";
import { FixOrTitle } from "./fix-or-title";
import { Ident } from "./ident";
import { UserEventDetail } from "./user-event-detail";
import { ClientLink, UserLink } from "./user-link";

const COLUMNS: Column[] = [DETAILS_COLUMN, "Time", "Type", "Error", "Client", "User", "IP address", "Cause"];

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
    <DataTable columns={COLUMNS} caption={caption} testId="user-events" wrap>
      {events.map((e) => (
        <ExpandableRow
          key={`${e.sourceId}/${e.realm}/${e.id}`}
          className={e.isFailure ? "failure" : undefined}
          testId="event-row"
          colSpan={COLUMNS.length}
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
                  <FixOrTitle title={e.classification.causeTitle} fix={e.classification.fixHref} />
                ) : (
                  ""
                )}
              </td>
            </>
          }
          detail={<UserEventDetail event={e} timeZone={timeZone} />}
        />
      ))}
    </DataTable>
  );
}

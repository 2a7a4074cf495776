import type { AdminEventView } from "@/lib/screens/events/admin-event-view";
import { formatTime } from "@/lib/time/format";
import { EventTable, type EventTableProps } from "./event-table";
import { AdminName, NamedText } from "./named-text";

const COLUMNS = ["Time", "Operation", "Resource type", "Resource", "Admin", "Realm"];

/**
 * Admin events, newest first, with who made each change and what it changed by name; each row opens to the auth
 * details and the representation as Keycloak saved it.
 */
export function AdminEventTable({ events, timeZone, caption }: EventTableProps<AdminEventView>) {
  return (
    <EventTable
      events={events}
      caption={caption}
      testId="admin-events"
      rowTestId="admin-event-row"
      columns={COLUMNS}
      row={(e) => ({
        label: `Details of ${e.operationType} ${e.resourceType ?? ""} at ${formatTime(e.time, timeZone)}`,
        cells: (
          <>
            <td className="nowrap">{formatTime(e.time, timeZone)}</td>
            <td>{e.operationType}</td>
            <td>{e.resourceType ?? ""}</td>
            <td data-testid="admin-event-resource">
              <code title={e.resourcePath ?? undefined}>
                <NamedText parts={e.resource} />
              </code>
            </td>
            <td data-testid="admin-event-admin">
              <AdminName admin={e.admin} />
            </td>
            <td>{e.realm}</td>
          </>
        ),
        detail: <AdminEventDetail event={e} timeZone={timeZone} />,
      })}
    />
  );
}

export function AdminEventDetail({ event, timeZone }: { event: AdminEventView; timeZone: string }) {
  return (
    <div className="detail-grid">
      <section aria-label="Admin event fields">
        <h3>Admin event</h3>
        <dl className="kv">
          <dt>id</dt>
          <dd>{event.id}</dd>
          <dt>time</dt>
          <dd>
            {formatTime(event.time, timeZone)} ({event.time})
          </dd>
          <dt>operationType</dt>
          <dd>{event.operationType}</dd>
          <dt>resourceType</dt>
          <dd>{event.resourceType ?? "—"}</dd>
          <dt>resourcePath</dt>
          <dd>
            <code>{event.resourcePath ?? "—"}</code>
          </dd>
          <dt>authDetails.realmId</dt>
          <dd>{event.authDetails.realmId ?? "—"}</dd>
          <dt>authDetails.clientId</dt>
          <dd>{event.authDetails.clientId ?? "—"}</dd>
          <dt>authDetails.userId</dt>
          <dd>
            {event.authDetails.userId ?? "—"}
            {event.admin?.name
              ? ` (${event.admin.name}${event.admin.realm ? ` in ${event.admin.realm}` : ""})`
              : ""}
          </dd>
          <dt>authDetails.ipAddress</dt>
          <dd>{event.authDetails.ipAddress ?? "—"}</dd>
          {event.error ? (
            <>
              <dt>error</dt>
              <dd>{event.error}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section aria-label="Representation">
        <h3>representation</h3>
        {event.representation ? (
          <pre>{prettyJson(event.representation)}</pre>
        ) : (
          <p className="muted">
            Not saved (admin events are stored without details: Include representation is off).
          </p>
        )}
        {event.details && Object.keys(event.details).length > 0 ? (
          <>
            <h3>details</h3>
            <pre>{JSON.stringify(event.details, null, 2)}</pre>
          </>
        ) : null}
      </section>
    </div>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

import type { ReactNode } from "react";
import type { UserEventView } from "@/lib/screens/events/user-event-view";
import { formatShare, formatTime } from "@/lib/time/format";
import { ClientLink, UserLink } from "./user-link";

/** Every field of a user event, its details, and how it was classified. All values render as text. */
export function UserEventDetail({ event, timeZone }: { event: UserEventView; timeZone: string }) {
  const c = event.classification;
  const fields: [string, ReactNode][] = [
    ["id", event.id],
    ["time", `${formatTime(event.time, timeZone)} (${event.time})`],
    ["type", event.type],
    ["error", event.error ?? "—"],
    ["realm", event.realm],
    ["realmId", event.realmId ?? "—"],
    ["clientId", <ClientLink key="c" realm={event.realm} clientId={event.clientId} />],
    ["userId", event.userId ?? "—"],
    ["username", <UserLink key="u" realm={event.realm} userId={event.userId} username={event.username} />],
    ["sessionId", event.sessionId ?? "—"],
    ["ipAddress", event.ipAddress ?? "—"],
    ["origin", event.origin],
  ];
  if (event.copyOf) {
    fields.push([
      "copy of",
      event.copyOfHref ? (
        <a key="copy" href={event.copyOfHref} data-testid="copy-of">
          {event.copyOf}
        </a>
      ) : (
        event.copyOf
      ),
    ]);
  }
  if (event.httpStatus !== null || event.httpPath) {
    fields.push([
      "HTTP",
      [event.httpMethod, event.httpPath, event.httpStatus].filter((v) => v !== null).join(" "),
    ]);
  }
  const details = Object.entries(event.details ?? {});
  return (
    <div className="detail-grid" data-testid="event-detail">
      <section aria-label="Event fields">
        <h3>Event</h3>
        <dl className="kv">
          {fields.map(([k, v]) => (
            <div key={k} style={{ display: "contents" }}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-label="Event details">
        <h3>details</h3>
        {details.length === 0 ? (
          <p className="muted">No details.</p>
        ) : (
          <dl className="kv">
            {details.map(([k, v]) => (
              <div key={k} style={{ display: "contents" }}>
                <dt>{k}</dt>
                <dd>
                  <code>{v}</code>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      <section aria-label="Classification">
        <h3>Cause</h3>
        {event.copyOf ? (
          <p className="muted" data-testid="copy-note">
            This line repeats a Keycloak event (the same request, from the same address): it is counted there,
            not as a failure of its own.
          </p>
        ) : c ? (
          <dl className="kv">
            <dt>cause</dt>
            <dd>
              {c.causeTitle} (<code>{c.cause}</code>)
            </dd>
            <dt>rule</dt>
            <dd>{c.ruleId ?? "—"}</dd>
            <dt>confidence</dt>
            <dd>{c.confidence === null ? "—" : formatShare(c.confidence)}</dd>
            <dt>evidence</dt>
            <dd data-testid="evidence">{c.evidence ?? "—"}</dd>
            <dt>fix</dt>
            <dd>{c.fixHref ? <a href={c.fixHref}>How to fix: {c.causeTitle}</a> : "—"}</dd>
            <dt>token</dt>
            <dd>
              <a href={c.tokenHref} data-testid="event-token-analyzer">
                Check a token against what this failure needed
              </a>
            </dd>
          </dl>
        ) : (
          <p className="muted">{event.isFailure ? "Not classified yet." : "Not a failure."}</p>
        )}
      </section>
    </div>
  );
}

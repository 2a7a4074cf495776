import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";

/**
 * Lines of the jboss-logging event listener as Keycloak 26 writes them (quoted and sanitised values,
 * realmName, sessionId only when present), after a Quarkus console prefix. The listener receives every
 * event whether or not the realm saves it, so this log is the one place unsaved events still show.
 *
 * JBossLoggingEventListenerProviderFactory logs successes at DEBUG and errors at WARN (options
 * `spi-events-listener-jboss-logging-success-level` / `-error-level`), and the server's root level is INFO:
 * a default server log holds only the `*_ERROR` lines (and admin events that carry an error). Successes,
 * lockouts included (USER_DISABLED_BY_TEMPORARY_LOCKOUT is a success-typed event), appear only with
 * `--log-level=...,org.keycloak.events:debug`.
 */

/** The level the `org.keycloak.events` category logs at: Keycloak's default (INFO) or debug. */
export type EventsLogLevel = "info" | "debug";

/** Whether a line written at `level` reaches a log whose category level is `threshold`. */
export function logsAt(threshold: EventsLogLevel, level: "WARN" | "DEBUG"): boolean {
  return level === "WARN" || threshold === "debug";
}

export const userEventLevel = (e: KeycloakUserEvent): "WARN" | "DEBUG" =>
  e.type.endsWith("_ERROR") ? "WARN" : "DEBUG";

export const adminEventLevel = (e: KeycloakAdminEvent): "WARN" | "DEBUG" => (e.error ? "WARN" : "DEBUG");

const p2 = (n: number) => String(n).padStart(2, "0");

function prefix(time: number, level: "WARN" | "DEBUG", thread: number): string {
  const d = new Date(time);
  const date = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
  const clock = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())},${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
  return `${date} ${clock} ${level.padEnd(5)} [org.keycloak.events] (executor-thread-${thread})`;
}

/** The listener's sanitiser: whitespace becomes a space, quotes are escaped. */
const q = (v: string | null | undefined) =>
  v == null ? '"null"' : `"${v.replace(/[\r\n\t]/g, " ").replace(/"/g, '\\"')}"`;

export function formatUserEventLine(e: KeycloakUserEvent, realmName: string, thread: number): string {
  let line = `${prefix(e.time, userEventLevel(e), thread)} type=${q(e.type)}, realmId=${q(e.realmId)}, realmName=${q(realmName)}, clientId=${q(e.clientId)}, userId=${q(e.userId)}`;
  if (e.sessionId) line += `, sessionId=${q(e.sessionId)}`;
  line += `, ipAddress=${q(e.ipAddress)}`;
  if (e.error) line += `, error=${q(e.error)}`;
  for (const [k, v] of Object.entries(e.details ?? {})) line += `, ${k}=${q(v)}`;
  return line;
}

export function formatAdminEventLine(
  e: KeycloakAdminEvent,
  authRealmName: string,
  thread: number,
  includeRepresentation: boolean,
): string {
  const a = e.authDetails ?? {};
  let line = `${prefix(e.time, adminEventLevel(e), thread)} operationType=${q(e.operationType)}, realmId=${q(a.realmId)}, realmName=${q(authRealmName)}, clientId=${q(a.clientId)}, userId=${q(a.userId)}, ipAddress=${q(a.ipAddress)}, resourceType=${q(e.resourceType)}, resourcePath=${q(e.resourcePath)}`;
  if (e.error) line += `, error=${q(e.error)}`;
  for (const [k, v] of Object.entries(e.details ?? {})) line += `, ${k}=${q(v)}`;
  if (includeRepresentation && e.representation) line += `, representation=${q(e.representation)}`;
  return line;
}

import type { KeycloakUserEvent } from "@/lib/keycloak/types";

/**
 * How the jboss-logging listener wrote user events:
 * - "quoted": 23.0.5 and later with default settings (values in `"`, quotes escaped, whitespace folded);
 * - "unquoted": before 23.0.5 (bare values; detail values with a space in single quotes; no realmName or
 *   sessionId fields).
 */
export type EventLineStyle = "quoted" | "unquoted";

/**
 * Writes a user event the way Keycloak's JBossLoggingEventListenerProvider does, without any log prefix.
 * The inverse of parseKeycloakEventLine: used to build fixtures and benchmark input.
 */
export function formatKeycloakEventLine(event: KeycloakUserEvent, style: EventLineStyle): string {
  return style === "quoted" ? formatQuoted(event) : formatUnquoted(event);
}

function formatQuoted(event: KeycloakUserEvent): string {
  let line = `type=${quote(event.type)}, realmId=${quote(event.realmId)}`;
  if (event.realmName !== undefined) line += `, realmName=${quote(event.realmName)}`;
  line += `, clientId=${quote(event.clientId)}, userId=${quote(event.userId)}`;
  if (event.sessionId != null) line += `, sessionId=${quote(event.sessionId)}`;
  line += `, ipAddress=${quote(event.ipAddress)}`;
  if (event.error != null) line += `, error=${quote(event.error)}`;
  for (const [key, value] of Object.entries(event.details ?? {})) line += `, ${key}=${quote(value)}`;
  return line;
}

function formatUnquoted(event: KeycloakUserEvent): string {
  let line = `type=${event.type}, realmId=${event.realmId ?? null}, clientId=${event.clientId ?? null}`;
  line += `, userId=${event.userId ?? null}, ipAddress=${event.ipAddress ?? null}`;
  if (event.error != null) line += `, error=${event.error}`;
  for (const [key, value] of Object.entries(event.details ?? {})) {
    line += value.includes(" ") ? `, ${key}='${value}'` : `, ${key}=${value}`;
  }
  return line;
}

/** StringUtil.sanitizeSpacesAndQuotes: other whitespace and NBSP become a space, the quote is escaped. */
function quote(value: string | null | undefined): string {
  const text =
    value == null ? "null" : value.replace(/[\t\n\v\f\r\u00a0\u2028\u2029]/g, " ").replaceAll('"', '\\"');
  return `"${text}"`;
}

import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { parseEventJson } from "@/lib/logs/parse-event-json";

/**
 * One event object as people paste it: a full EventRepresentation (parseEventJson), or the partial objects of
 * `kcadm.sh get events --fields type,error,details` and of a copy from the admin console, which lack `time`
 * or `realmId`. Partial objects are for diagnosis only (time 0): storing needs the full representation.
 */
export type EventObject =
  | { kind: "user"; event: KeycloakUserEvent; complete: boolean }
  | { kind: "admin"; event: KeycloakAdminEvent; complete: boolean };

const EVENT_TYPE = /^[A-Z][A-Z0-9_]{1,127}$/;
const MAX_TEXT = 64 * 1024;

export function readEventObject(value: unknown): EventObject | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const full = parseEventJson(JSON.stringify(value))?.[0];
  if (full?.ok) return { kind: full.kind, event: full.event, complete: true } as EventObject;
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== "string" || !EVENT_TYPE.test(type)) return null;
  const text = (key: string): string | null => {
    const v = record[key];
    return typeof v === "string" && v !== "" && v !== "null" ? v.slice(0, MAX_TEXT) : null;
  };
  let details: Record<string, string> | null = null;
  if (record.details !== null && typeof record.details === "object" && !Array.isArray(record.details)) {
    for (const [key, v] of Object.entries(record.details as Record<string, unknown>)) {
      if (v == null || v === "") continue;
      details ??= Object.create(null) as Record<string, string>;
      details[key.slice(0, 256)] = (typeof v === "string" ? v : JSON.stringify(v)).slice(0, MAX_TEXT);
    }
  }
  const time = typeof record.time === "number" && Number.isFinite(record.time) ? record.time : 0;
  return {
    kind: "user",
    complete: false,
    event: {
      time,
      type,
      realmId: text("realmId"),
      realmName: text("realmName"),
      clientId: text("clientId"),
      userId: text("userId"),
      sessionId: text("sessionId"),
      ipAddress: text("ipAddress"),
      error: text("error"),
      details,
    },
  };
}

import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import type { EventColumns } from "./event-columns";
import { formatUuid } from "./prng";

export const USER_EVENT_COLUMNS = [
  "idText",
  "type",
  "clientId",
  "userId",
  "sessionId",
  "ipAddress",
  "error",
  "details",
] as const;

export const ADMIN_EVENT_COLUMNS = [
  "idText",
  "operationType",
  "resourceType",
  "resourcePath",
  "authRealmId",
  "authClientId",
  "authUserId",
  "authIpAddress",
  "representation",
  "error",
  "details",
] as const;

const U = Object.fromEntries(USER_EVENT_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof USER_EVENT_COLUMNS)[number],
  number
>;
const A = Object.fromEntries(ADMIN_EVENT_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof ADMIN_EVENT_COLUMNS)[number],
  number
>;

export function rowId(columns: EventColumns, row: number): string {
  const text = columns.codes[0]![row]!;
  return text === 0 ? formatUuid(columns.ids, row * 16) : columns.dicts[0]!.values[text]!;
}

/**
 * One JSON field `,"key":value` for a coded column, or nothing for null: Keycloak's serialiser leaves
 * null fields out.
 */
function field(columns: EventColumns, col: number, row: number, key: string): string {
  const code = columns.codes[col]![row]!;
  return code === 0 ? "" : `,"${key}":${columns.dicts[col]!.json[code]}`;
}

/** details are stored as JSON text already. */
function detailsField(columns: EventColumns, col: number, row: number): string {
  const code = columns.codes[col]![row]!;
  return code === 0 ? "" : `,"details":${columns.dicts[col]!.values[code]}`;
}

/**
 * EventRepresentation in Keycloak's field order. `withId`: 26.2+ exposes `id`; older servers do not.
 * Built by concatenation from cached JSON fragments: pages of 10,000 events serialise in milliseconds.
 */
export function userEventsJson(
  columns: EventColumns,
  rows: readonly number[],
  realmId: string,
  withId: boolean,
) {
  const realm = `,"realmId":${JSON.stringify(realmId)}`;
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const id = withId ? `"id":"${rowId(columns, r)}",` : "";
    parts[i] =
      `{${id}"time":${columns.time[r]}` +
      field(columns, U.type, r, "type") +
      realm +
      field(columns, U.clientId, r, "clientId") +
      field(columns, U.userId, r, "userId") +
      field(columns, U.sessionId, r, "sessionId") +
      field(columns, U.ipAddress, r, "ipAddress") +
      field(columns, U.error, r, "error") +
      detailsField(columns, U.details, r) +
      "}";
  }
  return `[${parts.join(",")}]`;
}

/** AdminEventRepresentation in Keycloak's field order. */
export function adminEventsJson(
  columns: EventColumns,
  rows: readonly number[],
  realmId: string,
  withId: boolean,
) {
  const realm = `,"realmId":${JSON.stringify(realmId)}`;
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const id = withId ? `"id":"${rowId(columns, r)}",` : "";
    const auth =
      field(columns, A.authRealmId, r, "realmId") +
      field(columns, A.authClientId, r, "clientId") +
      field(columns, A.authUserId, r, "userId") +
      field(columns, A.authIpAddress, r, "ipAddress");
    parts[i] =
      `{${id}"time":${columns.time[r]}${realm}` +
      `,"authDetails":{${auth.slice(1)}}` +
      field(columns, A.operationType, r, "operationType") +
      field(columns, A.resourceType, r, "resourceType") +
      field(columns, A.resourcePath, r, "resourcePath") +
      field(columns, A.representation, r, "representation") +
      field(columns, A.error, r, "error") +
      detailsField(columns, A.details, r) +
      "}";
  }
  return `[${parts.join(",")}]`;
}

const value = (columns: EventColumns, col: number, row: number): string | null =>
  columns.dicts[col]!.values[columns.codes[col]![row]!] ?? null;

export function rowToUserEvent(columns: EventColumns, row: number, realmId: string): KeycloakUserEvent {
  const details = value(columns, U.details, row);
  const event: KeycloakUserEvent = {
    id: rowId(columns, row),
    time: columns.time[row]!,
    type: value(columns, U.type, row) ?? "",
    realmId,
    clientId: value(columns, U.clientId, row),
    userId: value(columns, U.userId, row),
    sessionId: value(columns, U.sessionId, row),
    ipAddress: value(columns, U.ipAddress, row),
    error: value(columns, U.error, row),
  };
  if (details !== null) event.details = JSON.parse(details) as Record<string, string>;
  return event;
}

export function rowToAdminEvent(columns: EventColumns, row: number, realmId: string): KeycloakAdminEvent {
  const details = value(columns, A.details, row);
  const event: KeycloakAdminEvent = {
    id: rowId(columns, row),
    time: columns.time[row]!,
    realmId,
    authDetails: {
      realmId: value(columns, A.authRealmId, row),
      clientId: value(columns, A.authClientId, row),
      userId: value(columns, A.authUserId, row),
      ipAddress: value(columns, A.authIpAddress, row),
    },
    operationType: value(columns, A.operationType, row) ?? "",
    resourceType: value(columns, A.resourceType, row),
    resourcePath: value(columns, A.resourcePath, row),
    representation: value(columns, A.representation, row),
    error: value(columns, A.error, row),
  };
  if (details !== null) event.details = JSON.parse(details) as Record<string, string>;
  return event;
}

/** The coded values of one user event, in USER_EVENT_COLUMNS order (after idText). */
export function userEventValues(e: KeycloakUserEvent): Array<string | null> {
  return [
    e.type,
    e.clientId ?? null,
    e.userId ?? null,
    e.sessionId ?? null,
    e.ipAddress ?? null,
    e.error ?? null,
    detailsText(e.details),
  ];
}

export function adminEventValues(e: KeycloakAdminEvent): Array<string | null> {
  return [
    e.operationType,
    e.resourceType ?? null,
    e.resourcePath ?? null,
    e.authDetails?.realmId ?? null,
    e.authDetails?.clientId ?? null,
    e.authDetails?.userId ?? null,
    e.authDetails?.ipAddress ?? null,
    e.representation ?? null,
    e.error ?? null,
    detailsText(e.details),
  ];
}

/** EventBuilder.detail never adds null or empty values. */
function detailsText(details: Record<string, string> | null | undefined): string | null {
  if (!details) return null;
  const kept: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === "string" && v !== "") {
      kept[k] = v;
      any = true;
    }
  }
  return any ? JSON.stringify(kept) : null;
}

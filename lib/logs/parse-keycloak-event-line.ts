import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { parseIsoTimestamp } from "@/lib/logs/find-log-timestamp";
import { isEventsLogger, type LogPrefix, parseLogPrefix } from "@/lib/logs/parse-log-prefix";
import { type LogTimeOptions, resolveLogTime, type TimeAssumption } from "@/lib/logs/resolve-log-time";
import { type EventFields, splitEventFields } from "@/lib/logs/split-event-fields";
import { unwrapJsonLogLine } from "@/lib/logs/unwrap-json-log-line";

export type EventLineOptions = LogTimeOptions;

interface LineMeta {
  /** Log level as written (WARN for errors and DEBUG for successes by default), when the line shows it. */
  level: string | null;
  /** The instant the line was logged, or null when the line has no usable timestamp. */
  loggedAt: number | null;
  timeAssumption: TimeAssumption;
  logger: string | null;
  /** Quoted values: Keycloak 23.0.5 or later with default listener settings. */
  quoted: boolean;
  /** The line was cut short or pasted over; the fields that could be read are returned. */
  fragment: boolean;
}

/**
 * A parsed event line. `event.time` is `loggedAt`, or 0 when the line had no usable timestamp
 * (`timeAssumption: "none"`): the importer must then supply a time.
 */
export type ParsedEventLine =
  | ({ kind: "user"; event: KeycloakUserEvent } & LineMeta)
  | ({
      kind: "admin";
      event: KeycloakAdminEvent;
      /** realmName= on admin lines is the realm of the admin who acted (authDetails), not the changed realm. */
      authRealmName: string | null;
    } & LineMeta);

const EVENT_TYPE = /^[A-Z][A-Z0-9_]{1,127}$/;
const ANSI_SEQUENCE = /\x1b\[[0-9;?]*[A-Za-z]/g;
// TRACE lines append every request cookie (KEYCLOAK_IDENTITY holds a signed token): never keep them.
const DROPPED_FIELD = "cookies";

/**
 * Parses one line of the jboss-logging event listener, whatever wraps it (see parseLogPrefix and
 * unwrapJsonLogLine), in the quoted (23.0.5+) or unquoted form. Returns null for any other line.
 */
export function parseKeycloakEventLine(text: string, options: EventLineOptions = {}): ParsedEventLine | null {
  // Both `type=` and `operationType=` contain this; most non-event lines leave here.
  if (text.indexOf("ype=") === -1) return null;
  let line = text.indexOf("\x1b") === -1 ? text : text.replace(ANSI_SEQUENCE, "");
  let outerPrefix = "";
  let json: ReturnType<typeof unwrapJsonLogLine> = null;
  if (line.indexOf('"message"') !== -1) {
    json = unwrapJsonLogLine(line);
    if (json !== null) {
      outerPrefix = json.outerPrefix;
      line = json.message;
    }
  }

  const start = findEventStart(line);
  if (start === -1) return null;
  const fields = splitEventFields(line, start);
  const prefix = parseLogPrefix(json === null ? line.slice(0, start) : outerPrefix);
  const logger = json?.logger ?? prefix.logger;
  const event = line.startsWith("operationType=", start)
    ? toAdminEvent(fields, isEventsLogger(logger))
    : toUserEvent(fields, isEventsLogger(logger));
  if (event === null) return null;

  const { time, assumption } = resolveLogTime(pickStamp(prefix, json?.timestamp ?? null), options);
  event.event.time = time ?? 0;
  const level = json?.level ?? prefix.level;
  const fragment = fields.damaged || (json?.fragment ?? false);
  // Built field by field: object spread here cost more than the whole parse (measured, V8 12).
  return event.kind === "user"
    ? {
        kind: "user",
        event: event.event,
        level,
        loggedAt: time,
        timeAssumption: assumption,
        logger,
        quoted: fields.quoted,
        fragment,
      }
    : {
        kind: "admin",
        event: event.event,
        authRealmName: event.authRealmName,
        level,
        loggedAt: time,
        timeAssumption: assumption,
        logger,
        quoted: fields.quoted,
        fragment,
      };
}

type Unmeta<T> = T extends unknown ? Omit<T, keyof LineMeta> : never;

/** A user event with every field empty, for parsers to fill (time 0: none read yet). */
export function emptyUserEvent(): KeycloakUserEvent {
  return {
    time: 0,
    type: "",
    realmId: null,
    realmName: null,
    clientId: null,
    userId: null,
    sessionId: null,
    ipAddress: null,
    error: null,
    details: null,
  };
}

function toUserEvent(fields: EventFields, fromEventsLogger: boolean): Unmeta<ParsedEventLine> | null {
  const event = emptyUserEvent();
  let type: string | undefined;
  let hasRealm = false;
  const { keys, values } = fields;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = values[i] as string;
    switch (key) {
      case "type":
        type ??= value;
        break;
      case "realmId":
        hasRealm = true;
        event.realmId = field(value);
        break;
      case "realmName":
        event.realmName = field(value);
        break;
      case "clientId":
        event.clientId = field(value);
        break;
      case "userId":
        event.userId = field(value);
        break;
      case "sessionId":
        event.sessionId = field(value);
        break;
      case "ipAddress":
        event.ipAddress = field(value);
        break;
      case "error":
        event.error = field(value);
        break;
      default:
        event.details = addDetail(event.details ?? null, key, value);
    }
  }
  if (type === undefined || !EVENT_TYPE.test(type)) return null;
  if (!hasRealm && !fromEventsLogger) return null;
  event.type = type;
  return { kind: "user", event };
}

function toAdminEvent(fields: EventFields, fromEventsLogger: boolean): Unmeta<ParsedEventLine> | null {
  const auth = {
    realmId: null as string | null,
    clientId: null as string | null,
    userId: null as string | null,
    ipAddress: null as string | null,
  };
  const event: KeycloakAdminEvent = {
    time: 0,
    realmId: null,
    authDetails: auth,
    operationType: "",
    resourceType: null,
    resourcePath: null,
    representation: null,
    error: null,
    details: null,
  };
  let operationType: string | undefined;
  let authRealmName: string | null = null;
  let anchored = false;
  const { keys, values } = fields;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = values[i] as string;
    switch (key) {
      case "operationType":
        operationType ??= value;
        break;
      case "realmId":
        anchored = true;
        auth.realmId = field(value);
        break;
      case "realmName":
        authRealmName = field(value);
        break;
      case "clientId":
        auth.clientId = field(value);
        break;
      case "userId":
        auth.userId = field(value);
        break;
      case "ipAddress":
        auth.ipAddress = field(value);
        break;
      case "resourceType":
        event.resourceType = field(value);
        break;
      case "resourcePath":
        anchored = true;
        event.resourcePath = field(value);
        break;
      case "representation":
        event.representation = field(value);
        break;
      case "error":
        event.error = field(value);
        break;
      default:
        event.details = addDetail(event.details ?? null, key, value);
    }
  }
  if (operationType === undefined || !EVENT_TYPE.test(operationType)) return null;
  if (!anchored && !fromEventsLogger) return null;
  event.operationType = operationType;
  return { kind: "admin", event, authRealmName };
}

/**
 * Details keep the first value of a key, in a null-prototype object so `__proto__` is plain data. Every
 * value is a string, so a missing key reads as undefined: that test costs a third less than `key in`
 * on these objects (measured, V8 12), and this runs for every detail of every event line.
 */
function addDetail(
  details: Record<string, string> | null,
  key: string,
  value: string,
): Record<string, string> | null {
  if (key === DROPPED_FIELD) return details;
  const target = details ?? (Object.create(null) as Record<string, string>);
  if (target[key] === undefined) target[key] = value;
  return target;
}

/** Index of the first `type=` or `operationType=` that starts a field (not `resourceType=`, `content-type=`). */
function findEventStart(line: string): number {
  let best = -1;
  const admin = line.indexOf("operationType=");
  if (admin !== -1 && atFieldBoundary(line, admin)) best = admin;
  let user = line.indexOf("type=");
  while (user !== -1 && (best === -1 || user < best)) {
    if (atFieldBoundary(line, user)) return user;
    user = line.indexOf("type=", user + 5);
  }
  return best;
}

function atFieldBoundary(line: string, index: number): boolean {
  if (index === 0) return true;
  const c = line[index - 1];
  return (
    c === " " || c === "\t" || c === "," || c === ")" || c === "]" || c === "|" || c === ":" || c === '"'
  );
}

/** The stamp from the JSON record wins when it states a zone or the prefix has none. */
function pickStamp(prefix: LogPrefix, jsonTimestamp: string | null) {
  const fromJson = jsonTimestamp === null ? null : parseIsoTimestamp(jsonTimestamp);
  if (fromJson === null) return prefix.stamp;
  if (prefix.stamp === null || fromJson.offsetMinutes !== undefined) return fromJson;
  return prefix.stamp.offsetMinutes !== undefined ? prefix.stamp : fromJson;
}

/** Keycloak writes a missing value as the literal `null` (quoted from 23.0.5 on). */
function field(value: string | undefined): string | null {
  return value === undefined || value === "null" || value === "" ? null : value;
}

import { type HttpError, httpError, UNCAUGHT_SERVER_ERROR } from "./keycloak-errors";

/** RealmEventsConfigRepresentation after Jackson: null where the body left a field out or sent null. */
export interface EventsConfigBody {
  eventsEnabled: boolean | null;
  eventsExpiration: number | null;
  eventsListeners: string[] | null;
  enabledEventTypes: string[] | null;
  adminEventsEnabled: boolean | null;
  adminEventsDetailsEnabled: boolean | null;
}

const FIELDS = [
  "eventsEnabled",
  "eventsExpiration",
  "eventsListeners",
  "enabledEventTypes",
  "adminEventsEnabled",
  "adminEventsDetailsEnabled",
] as const;

const CANNOT_PARSE = httpError(400, "unknown_error", "Cannot parse the JSON");

class Mismatch extends Error {}

/** Jackson's default scalar coercions: "true"/"false" strings and integers pass as booleans. */
function asBoolean(v: unknown): boolean | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  if (typeof v === "number" && Number.isInteger(v)) return v !== 0;
  throw new Mismatch();
}

function asLong(v: unknown): number | null {
  if (v === null) return null;
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string" && /^[+-]?\d+$/.test(v.trim())) return Number(v.trim());
  throw new Mismatch();
}

function asStringList(v: unknown): string[] | null {
  if (v === null) return null;
  if (!Array.isArray(v)) throw new Mismatch();
  return v.map((x) => {
    if (typeof x === "string") return x;
    if (typeof x === "number" || typeof x === "boolean") return String(x);
    throw new Mismatch();
  });
}

/** Line and column (1-based) just after the value of top-level key `key`, as Jackson reports them. */
function locationAfterValue(text: string, key: string): { line: number; column: number } {
  const keyAt = text.indexOf(JSON.stringify(key));
  let i = keyAt < 0 ? text.length : keyAt + JSON.stringify(key).length;
  while (i < text.length && /[\s:]/.test(text[i]!)) i++;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) {
          i++;
          break;
        }
      }
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (depth === 0) break;
      depth--;
      if (depth === 0) {
        i++;
        break;
      }
    } else if (c === "," && depth === 0) break;
  }
  const before = text.slice(0, i);
  const line = before.split("\n").length;
  return { line, column: i - before.lastIndexOf("\n") };
}

/**
 * Decodes a PUT events/config body with Keycloak 26's answers: 415 for a non-JSON content type, 400
 * "Cannot parse the JSON" for malformed text or a wrong value type, 400 naming an unknown field, 500 for
 * an empty or null body.
 */
export function parseEventsConfigBody(
  text: string,
  contentType: string | undefined,
): EventsConfigBody | HttpError {
  if (contentType && !/^application\/json\b/i.test(contentType.trim())) {
    return httpError(415, "The content-type header value did not match the value in @Consumes");
  }
  if (text.trim() === "") return UNCAUGHT_SERVER_ERROR;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return httpError(400, "invalid_request", "Cannot parse the JSON");
  }
  if (parsed === null) return UNCAUGHT_SERVER_ERROR;
  if (typeof parsed !== "object" || Array.isArray(parsed)) return CANNOT_PARSE;
  const obj = parsed as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      const { line, column } = locationAfterValue(text, key);
      return httpError(
        400,
        `Invalid json representation for RealmEventsConfigRepresentation. Unrecognized field "${key}" at line ${line} column ${column}.`,
      );
    }
  }
  try {
    return {
      eventsEnabled: "eventsEnabled" in obj ? asBoolean(obj.eventsEnabled) : null,
      eventsExpiration: "eventsExpiration" in obj ? asLong(obj.eventsExpiration) : null,
      eventsListeners: "eventsListeners" in obj ? asStringList(obj.eventsListeners) : null,
      enabledEventTypes: "enabledEventTypes" in obj ? asStringList(obj.enabledEventTypes) : null,
      adminEventsEnabled: "adminEventsEnabled" in obj ? asBoolean(obj.adminEventsEnabled) : null,
      adminEventsDetailsEnabled:
        "adminEventsDetailsEnabled" in obj ? asBoolean(obj.adminEventsDetailsEnabled) : null,
    };
  } catch (e) {
    if (e instanceof Mismatch) return CANNOT_PARSE;
    throw e;
  }
}

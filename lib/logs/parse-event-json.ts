import { z } from "zod";
import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { splitJsonValues } from "@/lib/logs/split-json-values";

/** One element of event JSON: a user event, an admin event, or why the element was rejected. */
export type JsonEventResult =
  | { ok: true; kind: "user"; event: KeycloakUserEvent }
  | { ok: true; kind: "admin"; event: KeycloakAdminEvent }
  | { ok: false; error: string };

const MAX_TEXT = 64 * 1024;
const text = z.string().max(MAX_TEXT);
const optionalText = text.nullish().transform((v) => (v === "" ? null : (v ?? null)));
const epochMillis = z.union([
  z.number().finite().nonnegative(),
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
]);
// Keycloak joins collections with "::" and never stores null or empty values; other shapes are kept as JSON.
const details = z
  .record(z.string().max(256), z.unknown())
  .nullish()
  .transform((record) => {
    if (record == null) return null;
    const out: Record<string, string> = Object.create(null);
    let any = false;
    for (const [key, value] of Object.entries(record)) {
      if (value == null || value === "") continue;
      out[key] = (typeof value === "string" ? value : JSON.stringify(value)).slice(0, MAX_TEXT);
      any = true;
    }
    return any ? out : null;
  });

const userEvent = z.object({
  id: optionalText,
  time: epochMillis,
  type: z.string().min(1).max(256),
  realmId: optionalText,
  realmName: optionalText,
  clientId: optionalText,
  userId: optionalText,
  sessionId: optionalText,
  ipAddress: optionalText,
  error: optionalText,
  details,
});

const adminEvent = z.object({
  id: optionalText,
  time: epochMillis,
  realmId: optionalText,
  authDetails: z
    .object({ realmId: optionalText, clientId: optionalText, userId: optionalText, ipAddress: optionalText })
    .nullish()
    .transform((v) => v ?? null),
  operationType: z.string().min(1).max(256),
  resourceType: optionalText,
  resourcePath: optionalText,
  representation: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  error: optionalText,
  details,
});

/**
 * Parses one line of event JSON: an EventRepresentation or AdminEventRepresentation (as returned by
 * `GET /admin/realms/{realm}/events` and `/admin-events`), or an array of them. Returns null when the
 * line is not JSON at all. Unknown fields are dropped; unknown types and errors are kept as strings.
 */
export function parseEventJson(line: string): JsonEventResult[] | null {
  const trimmed = line.trim();
  const first = trimmed[0];
  if (first !== "{" && first !== "[") return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  return Array.isArray(value) ? value.map(toEvent) : [toEvent(value)];
}

/**
 * Parses a whole document of event JSON: one array, one (pretty-printed) object, JSON lines, or
 * pretty-printed objects one after another. Text between values that is not JSON is reported once.
 */
export function parseEventJsonDocument(document: string): JsonEventResult[] {
  const whole = parseEventJson(document);
  if (whole !== null) return whole;
  const results: JsonEventResult[] = [];
  for (const piece of splitJsonValues(document)) {
    if (piece.kind === "garbage") {
      results.push({ ok: false, error: `not JSON at offset ${piece.offset}` });
      continue;
    }
    const parsed = parseEventJson(piece.text);
    if (parsed === null) results.push({ ok: false, error: `invalid JSON at offset ${piece.offset}` });
    else results.push(...parsed);
  }
  return results;
}

/** One parsed JSON value as an event (for callers that have parsed the JSON already). */
export function toEvent(value: unknown): JsonEventResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "not an event object" };
  }
  if ("operationType" in value) {
    const parsed = adminEvent.safeParse(value);
    return parsed.success
      ? { ok: true, kind: "admin", event: parsed.data satisfies KeycloakAdminEvent }
      : { ok: false, error: describe(parsed.error) };
  }
  if ("type" in value) {
    const parsed = userEvent.safeParse(value);
    return parsed.success
      ? { ok: true, kind: "user", event: parsed.data satisfies KeycloakUserEvent }
      : { ok: false, error: describe(parsed.error) };
  }
  return { ok: false, error: "not an event object: no type or operationType" };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid event";
  const path = issue.path.join(".") || "event";
  return `invalid ${path}: ${issue.message}`;
}

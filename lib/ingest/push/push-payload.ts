import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { toEvent } from "@/lib/logs/parse-event-json";

/**
 * The events of one webhook body. Three shapes are taken, one object or an array of them:
 *
 * - Phase Two's unified event (ext-event-webhook; p2-inc/keycloak-events ExtendedAdminEvent, documented in
 *   p2-inc/phasetwo-docs docs/audit-logs/access.md and admin.md): `type` is "access.<EventType>" for a user
 *   event and "admin.<RESOURCE_TYPE>-<OPERATION>" for an admin event; a user event's client, user, address
 *   and session are in `authDetails`; `uid` names the delivery (one per webhook, kept across retries), `id`
 *   is Keycloak's event id (set since ExtendedAdminEvent copies event.getId()), `realmName` the realm's name
 *   (older versions put the name in `realmId`, and a user event's authDetails.realmId is always the name).
 *   Types of other families ("system.*", events published by applications) are not Keycloak events: they are
 *   acknowledged and ignored.
 * - ext-event-http (SenderEventListenerProvider): ModelToRepresentation.toRepresentation(event), that is
 *   Keycloak's own EventRepresentation / AdminEventRepresentation;
 * - any listener that posts Keycloak's representations.
 *
 * The events come out as Keycloak's representations, validated like imported event JSON (parse-event-json.ts),
 * so they are stored by the same rules: by Keycloak's id when present, by content fingerprint otherwise.
 */
export type PushedEvent =
  | { kind: "user"; event: KeycloakUserEvent; realmHint: string | null; username: string | null }
  | { kind: "admin"; event: KeycloakAdminEvent; realmHint: string | null };

export interface PushPayload {
  events: PushedEvent[];
  /** Elements that are not Keycloak events (other Phase Two families): acknowledged, not stored. */
  ignored: number;
  /** Elements that could not be read, with why (never their content). */
  invalid: string[];
}

/** Past this many elements a body is refused whole (a sender batches far fewer). */
export const MAX_EVENTS_PER_PUSH = 10_000;

export type ParseFailure = { error: "malformed_json" | "no_events" | "too_many_events"; message: string };

export function parsePushBody(text: string): PushPayload | ParseFailure {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the body: only the position is kept.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    return {
      error: "malformed_json",
      message: `The body is not valid JSON${at ? ` (error at byte ${at})` : text.trim() === "" ? " (empty body)" : ""}.`,
    };
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_EVENTS_PER_PUSH)
    return { error: "too_many_events", message: `A push may carry at most ${MAX_EVENTS_PER_PUSH} events.` };
  const out: PushPayload = { events: [], ignored: 0, invalid: [] };
  for (const element of list) {
    const phaseTwo = phaseTwoEvent(element);
    if (phaseTwo === "ignored") {
      out.ignored++;
      continue;
    }
    // The element was parsed once; the mapped object holds only what JSON.parse gives.
    const r = toEvent(phaseTwo ?? element);
    if (!r.ok) out.invalid.push(r.error);
    else if (r.kind === "user")
      out.events.push({
        kind: "user",
        event: r.event,
        realmHint: phaseTwo?.realmHint ?? null,
        username: phaseTwo?.username ?? null,
      });
    else out.events.push({ kind: "admin", event: r.event, realmHint: phaseTwo?.realmHint ?? null });
  }
  if (out.events.length === 0 && out.ignored === 0)
    return {
      error: "no_events",
      message: `No event could be read: ${out.invalid[0] ?? "the body holds no event object"}.`,
    };
  return out;
}

type Mapped = Record<string, unknown> & { realmHint: string | null; username: string | null };

/** A Phase Two event as Keycloak's representation; null when the element is not one, "ignored" for others. */
function phaseTwoEvent(value: unknown): Mapped | "ignored" | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const e = value as Record<string, unknown>;
  if (typeof e.type !== "string") return null;
  const dot = e.type.indexOf(".");
  const family = dot > 0 ? e.type.slice(0, dot) : null;
  // Keycloak's own EventRepresentation has a bare type (LOGIN_ERROR) and no uid: not Phase Two's.
  if (family === null || (!("uid" in e) && !("authDetails" in e) && !/^[a-z]+$/.test(family))) return null;
  if (family !== "access" && family !== "admin") return "ignored";
  const auth = (e.authDetails && typeof e.authDetails === "object" ? e.authDetails : {}) as Record<
    string,
    unknown
  >;
  const realmName = str(e.realmName);
  if (family === "access") {
    return {
      id: e.id ?? null,
      time: e.time,
      type: e.type.slice(dot + 1),
      realmId: e.realmId ?? null,
      realmName,
      clientId: auth.clientId ?? e.clientId ?? null,
      userId: auth.userId ?? e.userId ?? null,
      sessionId: auth.sessionId ?? e.sessionId ?? null,
      ipAddress: auth.ipAddress ?? e.ipAddress ?? null,
      error: e.error ?? null,
      details: e.details ?? null,
      // ExtendedAdminEvent(uid, Event, realm) sets authDetails.realmId to the realm's name.
      realmHint: realmName ?? str(auth.realmId),
      username: str(auth.username),
    };
  }
  // "admin.CLIENT-UPDATE": operationType and resourceType are also fields of their own.
  const [resource, operation] = splitAdminType(e.type.slice(dot + 1));
  return {
    id: e.id ?? null,
    time: e.time,
    realmId: e.realmId ?? null,
    authDetails: {
      realmId: auth.realmId ?? null,
      clientId: auth.clientId ?? null,
      userId: auth.userId ?? null,
      ipAddress: auth.ipAddress ?? null,
    },
    operationType: e.operationType ?? operation,
    resourceType: e.resourceType ?? resource,
    resourcePath: e.resourcePath ?? null,
    representation: e.representation ?? null,
    error: e.error ?? null,
    details:
      e.details && typeof e.details === "object" && Object.keys(e.details).length > 0 ? e.details : null,
    realmHint: realmName,
    username: null,
  };
}

function splitAdminType(rest: string): [string | null, string | null] {
  const at = rest.lastIndexOf("-");
  return at > 0 ? [rest.slice(0, at), rest.slice(at + 1)] : [null, rest || null];
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

import { z } from "zod";
import { CAUSE_IDS, type CauseId } from "@/lib/classify/causes";
import { type EventOrigin, ORIGINS } from "@/lib/keycloak/types";
import {
  many,
  one,
  type QueryInput,
  queryRecord,
  realmPart,
  sourcePart,
  textPart,
} from "@/lib/server/query-params";
import { rangeParts, timeZonePart } from "@/lib/time/time-params";
import { type ResolvedRange, resolveRange } from "@/lib/time/time-range";

export const OUTCOMES = ["all", "failures"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The explorer's user-event filters, as URL parameters. Every value is optional; several types, users, origins. */
export const userEventQuerySchema = z.object({
  source: sourcePart,
  realm: realmPart,
  type: many(
    z
      .string()
      .trim()
      .regex(/^[A-Z0-9_]{1,64}$/, "must be a Keycloak event type such as LOGIN_ERROR"),
  ),
  error: one(textPart.optional()),
  cause: many(z.enum(CAUSE_IDS as [CauseId, ...CauseId[]])),
  client: many(textPart, 20),
  user: many(textPart, 20),
  ip: one(textPart.optional()),
  origin: many(z.enum(ORIGINS)),
  outcome: one(z.enum(OUTCOMES).optional()).transform((o) => o ?? "all"),
  id: many(textPart, 20),
  copy_of: one(textPart.optional()),
  tz: timeZonePart,
  ...rangeParts,
});

export interface UserEventFilter {
  sourceId: string | null;
  realm: string | null;
  types: string[];
  error: string | null;
  causes: CauseId[];
  /** Client ids as typed (whole, a prefix or a part); resolved to client ids through the names tables. */
  clients: string[];
  /** User ids, usernames or e-mails as typed; resolved to ids through user_names. */
  users: string[];
  ip: string | null;
  origins: EventOrigin[];
  outcome: Outcome;
  /** Event ids (Keycloak's, or realmwatch's fingerprints). */
  ids: string[];
  /** The access-log lines and reports that repeat this event (lib/ingest/write/link-copies.ts). */
  copyOf: string | null;
  timeZone: string;
  range: ResolvedRange;
}

/** Parses and validates the filters; a bad value throws (a ZodError or an AppError: both become a 400). */
export function parseUserEventFilter(input: QueryInput, now: number): UserEventFilter {
  const q = userEventQuerySchema.parse(queryRecord(input));
  return {
    sourceId: q.source ?? null,
    realm: q.realm ?? null,
    types: dedupe(q.type),
    error: q.error ?? null,
    causes: dedupe(q.cause),
    clients: dedupe(q.client),
    users: dedupe(q.user),
    ip: q.ip ?? null,
    origins: dedupe(q.origin),
    outcome: q.outcome,
    ids: dedupe(q.id),
    copyOf: q.copy_of ?? null,
    timeZone: q.tz,
    range: resolveRange(q, q.tz, now),
  };
}

/** The URL parameters that reproduce a filter (for export links, paging links and the API). */
export function userEventFilterParams(f: UserEventFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.sourceId) p.set("source", f.sourceId);
  if (f.realm) p.set("realm", f.realm);
  for (const t of f.types) p.append("type", t);
  if (f.error) p.set("error", f.error);
  for (const c of f.causes) p.append("cause", c);
  for (const c of f.clients) p.append("client", c);
  for (const u of f.users) p.append("user", u);
  if (f.ip) p.set("ip", f.ip);
  for (const o of f.origins) p.append("origin", o);
  if (f.outcome !== "all") p.set("outcome", f.outcome);
  for (const id of f.ids) p.append("id", id);
  if (f.copyOf) p.set("copy_of", f.copyOf);
  p.set("tz", f.timeZone);
  appendRange(p, f.range);
  return p;
}

export function appendRange(p: URLSearchParams, range: ResolvedRange): void {
  if (range.preset) p.set("range", range.preset);
  if (range.fromText) p.set("from", range.fromText);
  if (range.toText) p.set("to", range.toText);
}

function dedupe<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

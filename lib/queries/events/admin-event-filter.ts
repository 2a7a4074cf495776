import { z } from "zod";
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
import { appendRange } from "./user-event-filter";

/** Keycloak's OperationType values; resource types are an open set (newer servers add USER_PROFILE...). */
export const OPERATION_TYPES = ["CREATE", "UPDATE", "DELETE", "ACTION"] as const;

export const adminEventQuerySchema = z.object({
  source: sourcePart,
  realm: realmPart,
  resourceType: many(
    z
      .string()
      .trim()
      .regex(/^[A-Z0-9_]{1,64}$/, "must be a resource type such as CLIENT"),
  ),
  operation: many(z.enum(OPERATION_TYPES)),
  resourcePath: one(z.string().trim().min(1).max(512).optional()),
  authUser: one(textPart.optional()),
  authIp: one(textPart.optional()),
  tz: timeZonePart,
  ...rangeParts,
});

export interface AdminEventFilter {
  sourceId: string | null;
  realm: string | null;
  resourceTypes: string[];
  operations: (typeof OPERATION_TYPES)[number][];
  /** As Keycloak's admin-events API takes it: `*` matches anything (`users/<id>*`), otherwise exact. */
  resourcePath: string | null;
  authUserId: string | null;
  authIp: string | null;
  timeZone: string;
  range: ResolvedRange;
}

export function parseAdminEventFilter(input: QueryInput, now: number): AdminEventFilter {
  const q = adminEventQuerySchema.parse(queryRecord(input));
  return {
    sourceId: q.source ?? null,
    realm: q.realm ?? null,
    resourceTypes: [...new Set(q.resourceType)],
    operations: [...new Set(q.operation)],
    resourcePath: q.resourcePath ?? null,
    authUserId: q.authUser ?? null,
    authIp: q.authIp ?? null,
    timeZone: q.tz,
    range: resolveRange(q, q.tz, now),
  };
}

export function adminEventFilterParams(f: AdminEventFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.sourceId) p.set("source", f.sourceId);
  if (f.realm) p.set("realm", f.realm);
  for (const t of f.resourceTypes) p.append("resourceType", t);
  for (const o of f.operations) p.append("operation", o);
  if (f.resourcePath) p.set("resourcePath", f.resourcePath);
  if (f.authUserId) p.set("authUser", f.authUserId);
  if (f.authIp) p.set("authIp", f.authIp);
  p.set("tz", f.timeZone);
  appendRange(p, f.range);
  return p;
}

/** Keycloak's resourcePath filter: `*` becomes SQL LIKE's `%`; LIKE's own wildcards in the text match themselves. */
export function resourcePathPattern(path: string): string {
  return path.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll("*", "%");
}

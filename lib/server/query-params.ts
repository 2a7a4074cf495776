import { z } from "zod";

/**
 * The shared parts every route and page builds its query schema from: realm, source and paging (the time
 * zone, range and bucket parts are in lib/time/time-params.ts). Pages get `searchParams` as a record and route handlers get URLSearchParams: both become one
 * record first, with repeated keys as arrays and empty values dropped (an empty form field means "any").
 */
export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;
export type QueryRecord = Record<string, string | string[]>;

export function queryRecord(input: QueryInput): QueryRecord {
  const out: QueryRecord = {};
  const add = (key: string, value: string) => {
    if (value.trim() === "") return;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  if (input instanceof URLSearchParams) {
    for (const [key, value] of input) add(key, value);
  } else {
    for (const [key, value] of Object.entries(input)) {
      if (Array.isArray(value)) for (const v of value) add(key, v);
      else if (typeof value === "string") add(key, value);
    }
  }
  return out;
}

/** One value: a repeated key keeps its first value. */
export function one<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => (Array.isArray(v) ? v[0] : v), inner);
}

/** Any number of values (a repeated key, or one value with commas). */
export function many<T extends z.ZodType>(inner: T, max = 50) {
  return z.preprocess(
    (v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((s) =>
        typeof s === "string"
          ? s
              .split(",")
              .map((p) => p.trim())
              .filter(Boolean)
          : [s],
      ),
    z.array(inner).max(max),
  );
}

/** A short free-text value: a realm, client id, error code. */
export const textPart = z.string().trim().min(1).max(255);
export const realmPart = one(textPart.optional());
export const sourcePart = one(z.uuid({ message: "must be a source id (a UUID)" }).optional());
export const limitPart = one(z.coerce.number().int().min(1).max(500).optional()).transform((n) => n ?? 50);
export const cursorPart = one(z.string().max(2000).optional());

/** A route's [id] segment that must be a UUID (a source, a pattern). */
export const idParam = z.uuid({ message: "must be an id (a UUID)" });
export const idParams = z.object({ id: idParam });

/**
 * A route handler's [segment] holding a name (a realm, a client id, a user id). Next hands route handlers their
 * segments already percent-decoded (pages get them encoded: app/_components/format/page-address.ts decodes
 * those), so decoding again would turn the client id "a%41" into "aA" and make "a%zz" a 500.
 */
export const nameSegment = z.string().min(1).max(1024);

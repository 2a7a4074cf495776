import { type QueryInput, queryRecord } from "./query-params";

/** A page's searchParams as URLSearchParams (repeated keys kept, empty values dropped), to rebuild links. */
export function toSearchParams(input: QueryInput): URLSearchParams {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(queryRecord(input))) {
    for (const v of Array.isArray(value) ? value : [value]) p.append(key, v);
  }
  return p;
}

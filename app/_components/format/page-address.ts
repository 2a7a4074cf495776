import { withDefaultRange } from "@/lib/screens/with-default-range";
import { toSearchParams } from "@/lib/server/search-params";

/** A page's query string as Next.js hands it over. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * A drill-down page's address (`/clients/<realm>/<clientId>`, `/users/<realm>/<userId>`): its segments decoded (a
 * clientId may hold any character), its query with a week's range when the URL names none, and its own path
 * re-encoded, for the range presets to stay on it.
 */
export async function drilldownAddress<K extends string>(
  base: string,
  keys: readonly K[],
  params: Promise<Record<K, string>>,
  searchParams: SearchParams,
): Promise<{ path: Record<K, string>; query: URLSearchParams; self: string }> {
  const raw = await params;
  const path = Object.fromEntries(keys.map((k) => [k, decodeURIComponent(raw[k])])) as Record<K, string>;
  const query = withDefaultRange(toSearchParams(await searchParams), "7d");
  const self = [base, ...keys.map((k) => encodeURIComponent(path[k]))].join("/");
  return { path, query, self };
}

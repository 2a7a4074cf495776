import "server-only";
import type postgres from "postgres";
import { z } from "zod";
import { type ClientSearchResult, searchClients } from "@/lib/queries/clients/search-clients";
import { one, type QueryInput, queryRecord, realmPart, sourcePart } from "@/lib/server/query-params";
import { rangeParts, timeZonePart } from "@/lib/time/time-params";
import { type ResolvedRange, resolveRange } from "@/lib/time/time-range";

const schema = z.object({
  q: one(z.string().trim().max(255, "must be at most 255 characters").optional()),
  source: sourcePart,
  realm: realmPart,
  tz: timeZonePart,
  ...rangeParts,
});

export interface ClientSearchFilter {
  q: string | null;
  sourceId: string | null;
  realm: string | null;
  timeZone: string;
  range: ResolvedRange;
}

export interface ClientSearchPage {
  filter: ClientSearchFilter;
  /** Null until something is asked for. */
  result: ClientSearchResult | null;
}

/** Clients by part of their clientId, with their failures in the range (see searchClients). */
export async function loadClientSearch(
  sql: postgres.Sql,
  input: QueryInput,
  now: number,
): Promise<ClientSearchPage> {
  const q = schema.parse(queryRecord(input));
  const filter: ClientSearchFilter = {
    q: q.q ?? null,
    sourceId: q.source ?? null,
    realm: q.realm ?? null,
    timeZone: q.tz,
    range: resolveRange(q, q.tz, now),
  };
  const result = filter.q
    ? await searchClients(sql, {
        q: filter.q,
        sourceId: filter.sourceId ?? undefined,
        realm: filter.realm ?? undefined,
        range: filter.range,
      })
    : null;
  return { filter, result };
}

import type postgres from "postgres";
import { AppError } from "@/lib/server/errors";

/** A source as the sync and the live checks use it: its connection settings, the secret still sealed. */
export interface SourceRow {
  id: string;
  name: string;
  server_url: string | null;
  auth_realm: string;
  client_id: string | null;
  secret_ciphertext: string | null;
  realms: string[];
  sync_mode: string;
}

const columns = (sql: postgres.Sql) =>
  sql`id, name, server_url, auth_realm, client_id, secret_ciphertext, realms, sync_mode`;

/** The sources to sync: enabled, synced through the Admin REST API and with a URL; one of them when `onlyId`. */
export async function listSources(sql: postgres.Sql, onlyId?: string): Promise<SourceRow[]> {
  return sql<SourceRow[]>`
    select ${columns(sql)}
    from sources where enabled and kind = 'api' and server_url is not null ${onlyId ? sql`and id = ${onlyId}` : sql``}
    order by name`;
}

/** One source by id, whatever its state; not_found when it was removed. */
export async function getSourceOrThrow(sql: postgres.Sql, id: string): Promise<SourceRow> {
  const [source] = await sql<SourceRow[]>`select ${columns(sql)} from sources where id = ${id}::uuid`;
  if (!source) throw new AppError("not_found", "No such source: it may have been removed.");
  return source;
}

/** One source by name (its id and name), or undefined. */
export async function findSourceByName(
  sql: postgres.Sql,
  name: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await sql<{ id: string; name: string }[]>`select id, name from sources where name = ${name}`;
  return row;
}

/** Every source's id, name and kind, oldest first. */
export async function listSourceKinds(
  sql: postgres.Sql,
): Promise<{ id: string; name: string; kind: string }[]> {
  return sql<{ id: string; name: string; kind: string }[]>`
    select id, name, kind from sources order by created_at`;
}

import type postgres from "postgres";
import { AppError } from "@/lib/server/errors";

/**
 * The source imported lines belong to: the one named, else the only Keycloak source (so log lines and API
 * events of the same server meet, and are stored once), else a source "logs" for imports only.
 */
export async function resolveImportSource(
  sql: postgres.Sql,
  name?: string,
): Promise<{ id: string; name: string }> {
  if (name) {
    const [row] = await sql<
      { id: string; name: string }[]
    >`select id, name from sources where name = ${name}`;
    if (!row) throw new AppError("not_found", `No source named "${name}".`);
    return row;
  }
  const all = await sql<
    { id: string; name: string; kind: string }[]
  >`select id, name, kind from sources order by created_at`;
  const api = all.filter((s) => s.kind === "api");
  if (api.length === 1) return api[0]!;
  const [logs] = await sql<{ id: string; name: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), 'logs', 'import', now())
    on conflict (name) do update set updated_at = sources.updated_at returning id, name`;
  return logs!;
}

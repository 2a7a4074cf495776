import type postgres from "postgres";
import { AppError } from "@/lib/server/errors";
import { findSourceByName, listSourceKinds } from "./read-sources";
import { ensureImportOnlySource } from "./save-source";

/**
 * The source imported lines belong to: the one named, else the only Keycloak source (so log lines and API
 * events of the same server meet, and are stored once), else a source "logs" for imports only.
 */
export async function resolveImportSource(
  sql: postgres.Sql,
  name?: string,
): Promise<{ id: string; name: string }> {
  if (name) {
    const row = await findSourceByName(sql, name);
    if (!row) throw new AppError("not_found", `No source named "${name}".`);
    return row;
  }
  const api = (await listSourceKinds(sql)).filter((s) => s.kind === "api");
  if (api.length === 1) return { id: api[0]!.id, name: api[0]!.name };
  return ensureImportOnlySource(sql, "logs");
}

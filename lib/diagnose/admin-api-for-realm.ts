import "server-only";
import type postgres from "postgres";
import type { AdminApi } from "@/lib/keycloak/representations";
import { AppError } from "@/lib/server/errors";
import { listSources } from "@/lib/sources/read-sources";
import { sessionFor } from "@/lib/sources/source-session";

/**
 * The Admin REST API of the Keycloak source that serves `realm`, as realmwatch's own service account: the
 * named source, else the one source listing the realm (or `*`): the source's session, which renews its
 * token before expiry and once on a 401.
 */
export async function adminApiForRealm(
  sql: postgres.Sql,
  realm: string,
  sourceId?: string,
): Promise<{ api: AdminApi; sourceName: string }> {
  const sources = await listSources(sql, sourceId);
  const candidates = sourceId
    ? sources
    : sources.filter((s) => s.realms.includes(realm) || s.realms.includes("*"));
  const source = candidates.find((s) => s.realms.includes(realm)) ?? candidates[0];
  if (!source) {
    throw new AppError(
      "bad_request",
      sourceId
        ? `No enabled Keycloak source with id ${sourceId}.`
        : `No Keycloak source serves realm "${realm}": add one (KEYCLOAK_URL and a service account) to run live checks.`,
    );
  }
  // Read-only checks answer a person waiting on the page: no retries, a shorter timeout than a sync's.
  return { api: sessionFor(source, { timeoutMs: 15_000, retries: 0 }), sourceName: source.name };
}

import type postgres from "postgres";

/**
 * The base URL of the Keycloak source that syncs `realm` (one listing it by name first, else one syncing
 * every realm), to fill a fix page's commands and console links when the link did not carry one.
 * Null without a match; the page then shows the <keycloak-url> placeholder.
 */
export async function keycloakUrlForRealm(sql: postgres.Sql, realm: string): Promise<string | null> {
  const rows = await sql<{ server_url: string }[]>`
    select server_url from sources
    where enabled and kind = 'api' and server_url is not null and (${realm} = any(realms) or '*' = any(realms))
    order by (${realm} = any(realms)) desc, name
    limit 1`;
  return rows[0]?.server_url ?? null;
}

/** The server URLs of every enabled Keycloak source: the only Keycloak URLs a fix page's commands may use. */
export async function knownKeycloakUrls(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ server_url: string }[]>`
    select server_url from sources where enabled and kind = 'api' and server_url is not null`;
  return rows.map((r) => r.server_url);
}

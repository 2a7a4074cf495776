import type postgres from "postgres";
import { enableRecommendedEventTypes } from "@/lib/keycloak/events-config";
import { getSourceOrThrow } from "@/lib/sources/read-sources";
import { recordEventsConfig } from "./record-events-config";
import { sessionFor } from "./source-session";

/**
 * Adds the 403-relevant event types (USER_INFO_REQUEST_ERROR, INTROSPECT_TOKEN_ERROR, REFRESH_TOKEN_ERROR,
 * PERMISSION_TOKEN_ERROR) to what a realm saves. Needs the manage-events role; without it Keycloak answers 403
 * and the AppError names the role to assign. The realm's stored configuration is refreshed from Keycloak after.
 */
export async function enableEventTypes(
  sql: postgres.Sql,
  sourceId: string,
  realm: string,
): Promise<string[]> {
  const source = await getSourceOrThrow(sql, sourceId);
  const session = sessionFor(source, { timeoutMs: 15_000, retries: 1 });
  const added = await enableRecommendedEventTypes(session, realm);
  await recordEventsConfig(sql, sourceId, realm, await session.getEventsConfig(realm));
  return added;
}

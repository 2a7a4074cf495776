import type postgres from "postgres";
import { assessEventsConfig, type EventsHealth } from "@/lib/keycloak/events-config";
import { isAppError } from "@/lib/server/errors";
import { getSourceOrThrow } from "@/lib/sources/read-sources";
import { recordEventsConfig } from "./record-events-config";
import { sessionFor } from "./source-session";

export interface SourceTestResult {
  ok: boolean;
  /** Authentication as the service account. */
  authenticated: boolean;
  message: string;
  realms: { realm: string; health?: EventsHealth; error?: string }[];
}

const QUICK = { timeoutMs: 10_000, retries: 1, backoffBaseMs: 200, backoffMaxMs: 1_000 };

/**
 * Tests a stored source the way a sync would use it: authenticate as its service account, list its realms
 * (when it syncs every realm), and read each realm's events configuration. Reports what fails in Keycloak's
 * words (a missing role names the role). Changes nothing in Keycloak; the configurations read are kept as the
 * realms' snapshot, as a sync keeps them.
 */
export async function testSource(sql: postgres.Sql, id: string): Promise<SourceTestResult> {
  const source = await getSourceOrThrow(sql, id);
  const session = sessionFor(source, QUICK);
  try {
    await session.accessToken();
  } catch (err) {
    return { ok: false, authenticated: false, message: messageOf(err), realms: [] };
  }
  let realms: string[];
  try {
    realms = source.realms.includes("*")
      ? (await session.listRealms({ brief: true }))
          .map((r) => r.realm)
          .filter((r): r is string => typeof r === "string")
      : source.realms;
  } catch (err) {
    return { ok: false, authenticated: true, message: messageOf(err), realms: [] };
  }
  const results = await Promise.all(
    realms.map(async (realm) => {
      try {
        const config = await session.getEventsConfig(realm);
        await recordEventsConfig(sql, source.id, realm, config);
        return { realm, health: assessEventsConfig(config, null) };
      } catch (err) {
        return { realm, error: messageOf(err) };
      }
    }),
  );
  const failed = results.filter((r) => r.error);
  return {
    ok: failed.length === 0 && results.length > 0,
    authenticated: true,
    message:
      results.length === 0
        ? "Authenticated, but the service account sees no realm."
        : failed.length === 0
          ? `Authenticated; the events configuration of ${results.length} realm${results.length === 1 ? "" : "s"} was read.`
          : `Authenticated; ${failed.length} of ${results.length} realms could not be read.`,
    realms: results,
  };
}

function messageOf(err: unknown): string {
  return isAppError(err) ? err.message : `Unexpected failure: ${(err as Error).message}`;
}

import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import type { KeycloakSession } from "@/lib/keycloak/session";
import type { SyncMode } from "./sync-stream";

/**
 * Which sync a server supports. Keycloak 26.2 added epoch-ms dates, `direction` and event ids to the events
 * API (release notes 26.2.0). The server's version comes from /admin/serverinfo; when that is not readable, a
 * probe asks for one event with an epoch dateFrom and direction=asc: older servers answer 400 (they parse
 * dateFrom as yyyy-MM-dd) or return events without ids.
 */
export function modeForVersion(version: string | null | undefined): SyncMode | null {
  const m = /^(\d+)\.(\d+)/.exec(version ?? "");
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 26 || (major === 26 && minor >= 2) ? "ranged" : "daily";
}

export async function detectSyncMode(
  session: KeycloakSession,
  realm: string,
): Promise<{ mode: SyncMode; version: string | null; how: string }> {
  let version: string | null = null;
  try {
    version = (await session.getServerInfo(realm)).systemInfo?.version ?? null;
  } catch {
    // serverinfo needs an admin role the account may not have; fall back to probing.
  }
  const byVersion = modeForVersion(version);
  if (byVersion) return { mode: byVersion, version, how: `server version ${version}` };
  try {
    const probe = await session.listEvents(realm, "user", { dateFrom: "0", max: 1, direction: "asc" });
    const first = probe[0];
    if (first && typeof first.id !== "string")
      return { mode: "daily", version, how: "probe: events carry no id" };
    return { mode: "ranged", version, how: "probe: epoch dateFrom accepted" };
  } catch (err) {
    if (err instanceof KeycloakError && err.keycloakStatus === 400) {
      return { mode: "daily", version, how: "probe: epoch dateFrom rejected (400)" };
    }
    throw err;
  }
}

import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { hashUsername } from "@/lib/retention/hash-username";
import { readRetentionConfig } from "@/lib/retention/retention-config";
import { truncateIp } from "@/lib/retention/truncate-ip";
import { derivedKey } from "@/lib/server/secret-box";

/**
 * The privacy options applied to every user event before it is stored (REALMWATCH_TRUNCATE_IP: keep the /24 or
 * /48 network; REALMWATCH_HASH_USERNAMES: a keyed hash, so one user still groups together). Classification has
 * already run on the full values; the ids (fingerprints) were also computed before, so re-reads still dedupe.
 */
export function privacyFilter(): ((row: UserEventRow) => void) | null {
  const config = readRetentionConfig();
  if (!config.truncateIp && !config.hashUsernames) return null;
  const key = config.hashUsernames ? derivedKey("username-hash") : null;
  return (row) => {
    if (config.truncateIp && row.ipAddress) row.ipAddress = truncateIp(row.ipAddress);
    if (key) {
      row.username = hashUsername(row.username, key);
      if (row.details?.username)
        row.details = { ...row.details, username: hashUsername(row.details.username, key) ?? "" };
    }
  };
}

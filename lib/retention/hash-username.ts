import { createHmac } from "node:crypto";

/**
 * A username replaced by a keyed hash: the same user still groups together (per-user views and counts keep
 * working), but the name cannot be recovered, not even by hashing a list of likely names, without the key.
 * Keycloak stores usernames in lower case, so case is folded first. The prefix marks the value as hashed for a
 * reader; it is not a flag: a username that happens to start with it is hashed like any other (the write path
 * hashes each value once, when REALMWATCH_HASH_USERNAMES is on).
 */
export const HASHED_PREFIX = "h:";

export function hashUsername(username: string | null | undefined, key: string | Buffer): string | null {
  if (!username) return null;
  const digest = createHmac("sha256", key).update(username.toLowerCase(), "utf8").digest("base64url");
  return `${HASHED_PREFIX}${digest.slice(0, 22)}`;
}

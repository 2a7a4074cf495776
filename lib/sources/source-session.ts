import { KeycloakSession } from "@/lib/keycloak/session";
import { AppError } from "@/lib/server/errors";
import { outboundFetch, outboundPolicy } from "@/lib/server/outbound";
import { openSecret } from "@/lib/server/secret-box";
import type { SourceRow } from "./read-sources";

export type SessionOptions = {
  timeoutMs?: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** realmwatch's clock, for tests that simulate time. */
  now?: () => number;
};

/** A session with the source's Keycloak as its service account (the secret opened only here). */
export function sessionFor(source: SourceRow, opts: SessionOptions = {}): KeycloakSession {
  if (!source.server_url || !source.client_id || !source.secret_ciphertext) {
    throw new AppError("bad_request", `Source "${source.name}" has no server URL, client id or secret.`);
  }
  return new KeycloakSession({
    serverUrl: source.server_url,
    authRealm: source.auth_realm,
    clientId: source.client_id,
    clientSecret: openSecret(source.secret_ciphertext, "source-secret"),
    // Only to addresses the outbound policy allows, checked at connect time, never following redirects.
    fetch: outboundFetch(outboundPolicy()),
    ...opts,
  });
}

import { basicCredentials, type Req } from "./http-io";
import { type HttpError, httpError } from "./keycloak-errors";
import { type ClientModel, findClient, type RealmModel } from "./realm-model";

export type ClientAuthResult =
  | { ok: true; client: ClientModel; method: "client-secret" | "none" }
  | {
      ok: false;
      clientId: string | null;
      error: "invalid_client" | "client_not_found" | "invalid_client_credentials" | "client_disabled";
    };

/**
 * ClientAuthenticationFlow with client-secret: the secret comes by HTTP Basic or as `client_secret` in
 * the form; a public client identifies itself with `client_id` alone.
 */
export function authenticateClient(realm: RealmModel, req: Req, form: URLSearchParams): ClientAuthResult {
  const basic = basicCredentials(req);
  const clientId = basic?.clientId ?? form.get("client_id");
  const secret = basic?.secret ?? form.get("client_secret");
  if (!clientId) return { ok: false, clientId: null, error: "invalid_client" };
  const client = findClient(realm, clientId);
  if (!client) return { ok: false, clientId, error: "client_not_found" };
  if (!client.enabled) return { ok: false, clientId, error: "client_disabled" };
  if (client.publicClient) return { ok: true, client, method: "none" };
  if (!secret || secret !== client.secret)
    return { ok: false, clientId, error: "invalid_client_credentials" };
  return { ok: true, client, method: "client-secret" };
}

const INVALID_CREDENTIALS = "Invalid client or Invalid client credentials";

/**
 * The token endpoint's answer to a failed client authentication. An unknown or disabled client is
 * AuthenticationProcessor#handleClientAuthException's 401 `invalid_client`; a missing or wrong secret is
 * ClientIdAndSecretAuthenticator's own 401 `unauthorized_client`; no client_id at all its 400 `invalid_client`.
 */
export function clientAuthError(failure: Extract<ClientAuthResult, { ok: false }>): HttpError {
  switch (failure.error) {
    case "invalid_client":
      return httpError(400, "invalid_client", "Missing client_id parameter");
    case "client_not_found":
    case "client_disabled":
      return httpError(401, "invalid_client", INVALID_CREDENTIALS);
    case "invalid_client_credentials":
      return httpError(401, "unauthorized_client", INVALID_CREDENTIALS);
  }
}

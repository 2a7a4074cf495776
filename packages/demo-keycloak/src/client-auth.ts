import { basicCredentials, type Req } from "./http-io";
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

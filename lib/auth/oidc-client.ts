import "server-only";
import * as client from "openid-client";
import type { AuthConfig } from "@/lib/auth/config";

type OidcConfig = Extract<AuthConfig, { mode: "oidc" }>;

let discovered: { issuer: string; config: Promise<client.Configuration> } | undefined;

/** The issuer's discovered configuration, fetched once per process (retried after a failure). */
export function getOidcClient(auth: OidcConfig): Promise<client.Configuration> {
  const key = auth.issuer.href;
  if (discovered?.issuer !== key) {
    const config = client
      .discovery(
        auth.issuer,
        auth.clientId,
        auth.clientSecret,
        undefined,
        // The demo Keycloak and a local Keycloak speak plain http; production issuers are https.
        auth.issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    discovered = { issuer: key, config };
  }
  return discovered.config;
}

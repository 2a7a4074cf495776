import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript, realmEndpointVars } from "@/lib/fixes/scripts";
import { shellQuote } from "@/lib/fixes/shell-quote";
import type { FixDefinition } from "@/lib/fixes/types";

export const clientAuth: FixDefinition = {
  cause: "client-auth",
  concepts: [],
  versionNotes: ["client-secret-rotation"],
  signals: [
    {
      where: "user-event",
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client_credentials",
      status: 401,
      note: "Wrong, expired or rotated-out secret; no reason detail. The type follows the grant (CODE_TO_TOKEN_ERROR for authorization_code, REFRESH_TOKEN_ERROR for refresh).",
    },
    {
      where: "user-event",
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      reason: "Client not enabled to retrieve service account",
      status: 401,
      note: 'client_credentials on a client without Service accounts roles; "Public client not allowed to retrieve service account" for a public client.',
    },
    {
      where: "user-event",
      type: "CLIENT_LOGIN_ERROR",
      error: "client_not_found",
      note: "The client_id sent does not exist in this realm (typo, wrong realm).",
    },
    {
      where: "user-event",
      type: "CLIENT_LOGIN_ERROR",
      error: "client_disabled",
      note: "The client exists but is disabled.",
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        `Keycloak could not authenticate client ${v.clientId}: the secret it sent does not match, the client does not exist or is disabled, or the client is not set up for the grant it uses.`,
      ),
      list(
        "A regenerated secret breaks every consumer still holding the old one at the same moment: look for an admin event on clients/<id>/client-secret just before the spike.",
        "Client authentication on means confidential (needs a secret or key); off means public (browser and mobile apps, no secret, PKCE).",
        "client_credentials needs Service accounts roles on and a confidential client.",
      ),
    ],
    confirm: [
      steps(
        {
          text: "Check Client authentication and the enabled flows (Standard flow, Direct access grants, Service accounts roles).",
          path: ["Clients", v.clientId, "Settings", "Capability config"],
          link: consoleLink(v, "Open the client settings", ["clients", { field: "clientUuid" }, "settings"]),
        },
        {
          text: "Check the Client Authenticator and the current secret.",
          path: ["Clients", v.clientId, "Credentials"],
          link: consoleLink(v, "Open the credentials", ["clients", { field: "clientUuid" }, "credentials"]),
        },
      ),
      snippet(
        "bash",
        [
          ...realmEndpointVars(v),
          `CLIENT_ID=${shellQuote(v.clientId)}`,
          "# Reproduce with the secret the application uses: 401 unauthorized_client means it is wrong",
          'curl -s "$KC/realms/$REALM/protocol/openid-connect/token" -d grant_type=client_credentials \\',
          '  --data-urlencode client_id="$CLIENT_ID" --data-urlencode client_secret="$APP_SECRET" | jq \'{error, error_description}\'',
        ].join("\n"),
      ),
    ],
    console: [
      steps(
        {
          text: "Give every consumer the current secret (copy it), or Regenerate and roll the new one out to all of them at once.",
          path: ["Clients", v.clientId, "Credentials", "Client Secret"],
          link: consoleLink(v, "Open the credentials", ["clients", { field: "clientUuid" }, "credentials"]),
        },
        {
          text: "For client_credentials: Client authentication on and Service accounts roles on, then Save.",
          path: ["Clients", v.clientId, "Settings", "Capability config"],
        },
        {
          text: `If the client is disabled: Settings > Enabled on. If it does not exist, check the realm the application points at.`,
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        { client: true },
        [
          'kcadm.sh get "clients/$CLIENT_UUID" -r "$REALM" --fields clientId,enabled,publicClient,serviceAccountsEnabled,clientAuthenticatorType',
          'kcadm.sh get "clients/$CLIENT_UUID/client-secret" -r "$REALM"',
          "# regenerate (breaks every consumer still using the old secret)",
          'kcadm.sh create "clients/$CLIENT_UUID/client-secret" -r "$REALM"',
          "# client_credentials needs a confidential client with a service account",
          'kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -s publicClient=false -s serviceAccountsEnabled=true',
        ],
        "Read, rotate and configure the client's credentials",
      ),
    ],
    curl: [
      curlScript(
        v,
        { client: true },
        [
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID" | jq \'{clientId, enabled, publicClient, serviceAccountsEnabled}\'',
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/client-secret" | jq -r .value',
          "# regenerate (breaks every consumer still using the old secret)",
          'curl -s -X POST -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/client-secret" | jq -r .value',
        ],
        "Read and rotate the client secret",
      ),
    ],
    verify: [
      list(
        "The reproduction above returns an access_token.",
        "CLIENT_LOGIN_ERROR invalid_client_credentials for the client stops; a CLIENT_LOGIN success follows from each consumer.",
      ),
    ],
  }),
};

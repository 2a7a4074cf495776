import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

export const clientConfig: FixDefinition = {
  cause: "client-config",
  concepts: [],
  versionNotes: ["standard-token-exchange"],
  signals: [
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "not_allowed",
      reason: "Client not allowed for direct access grants",
      status: 400,
      note: "A password grant on a client with Direct access grants off (answer unauthorized_client).",
    },
    {
      where: "user-event",
      type: "CODE_TO_TOKEN_ERROR",
      error: "code_verifier_missing",
      status: 400,
      note: "The client requires PKCE and the code exchange sent no code_verifier; invalid_code_verifier and pkce_verification_failed when it does not match.",
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "consent_denied",
      reason: "Client requires user consent",
      note: "A password grant on a client with Consent required on.",
    },
    {
      where: "user-event",
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: "Standard token exchange is not enabled for the requested client",
      status: 400,
      note: "Token exchange on a client without Standard Token Exchange (26.2+).",
    },
    {
      where: "user-event",
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_client",
      reason: "Public client is not allowed to exchange token",
      note: "Only confidential clients may exchange tokens.",
    },
  ],
  content: (v) => {
    const needs = { client: true };
    const flags =
      "clientId,publicClient,standardFlowEnabled,directAccessGrantsEnabled,serviceAccountsEnabled,consentRequired,attributes";
    return {
      meaning: [
        paragraph(
          `Client ${v.clientId} is used with a flow or grant it is not configured for: the request is well-formed and authenticated, and the client's settings forbid it.`,
        ),
        list(
          "Password grant (Direct access grants) is off by default for new clients; prefer the authorization code flow over turning it on.",
          "PKCE: with a Code Challenge Method set, every authorization request needs code_challenge and every code exchange the matching code_verifier.",
          "Token exchange needs a confidential client with Standard Token Exchange on (26.2+).",
        ),
      ],
      confirm: [
        steps(
          {
            text: "Read Client authentication and Authentication flow (Standard flow, Direct access grants, Service accounts roles, Standard Token Exchange).",
            path: ["Clients", v.clientId, "Settings", "Capability config"],
            link: consoleLink(v, "Open the client settings", [
              "clients",
              { field: "clientUuid" },
              "settings",
            ]),
          },
          {
            text: "Read Proof Key for Code Exchange Code Challenge Method.",
            path: ["Clients", v.clientId, "Advanced", "Advanced settings"],
            link: consoleLink(v, "Open advanced settings", ["clients", { field: "clientUuid" }, "advanced"]),
          },
          { text: "Read Consent required.", path: ["Clients", v.clientId, "Settings", "Login settings"] },
        ),
      ],
      console: [
        steps(
          {
            text: "Enable the flow the application really uses (and only that one), then Save.",
            path: ["Clients", v.clientId, "Settings", "Capability config", "Authentication flow"],
            link: consoleLink(v, "Open the client settings", [
              "clients",
              { field: "clientUuid" },
              "settings",
            ]),
          },
          {
            text: "PKCE failures: make the application send code_challenge/code_verifier (S256), or clear the method if the client cannot.",
            path: [
              "Clients",
              v.clientId,
              "Advanced",
              "Advanced settings",
              "Proof Key for Code Exchange Code Challenge Method",
            ],
          },
        ),
      ],
      kcadm: [
        kcadmScript(
          v,
          needs,
          [
            `kcadm.sh get "clients/$CLIENT_UUID" -r "$REALM" --fields ${flags}`,
            "# enable what the application uses, for example:",
            'kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -s standardFlowEnabled=true',
            'kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -s \'attributes."pkce.code.challenge.method"=S256\'',
            'kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -s \'attributes."standard.token.exchange.enabled"=true\'',
          ],
          "Read and change the client's flows",
        ),
      ],
      curl: [
        curlScript(
          v,
          needs,
          [
            `curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID" | jq '{${flags.replace(",attributes", "")}, pkce: .attributes["pkce.code.challenge.method"]}'`,
            'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID" | jq \'.attributes["standard.token.exchange.enabled"] = "true"\' \\',
            '| curl -s -X PUT -H "$AUTH" -H \'Content-Type: application/json\' --data-binary @- "$KC/admin/realms/$REALM/clients/$CLIENT_UUID"',
          ],
          "Read and change the client's flows",
        ),
      ],
      verify: [
        list(
          "The application's flow completes; the not_allowed / PKCE / exchange errors for the client stop.",
        ),
      ],
    };
  },
};

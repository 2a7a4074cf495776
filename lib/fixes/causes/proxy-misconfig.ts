import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, decodeTokenScript, kcadmScript, realmEndpointVars } from "@/lib/fixes/scripts";
import { shellQuote } from "@/lib/fixes/shell-quote";
import type { FixDefinition } from "@/lib/fixes/types";

export const proxyMisconfig: FixDefinition = {
  cause: "proxy-misconfig",
  concepts: ["hostname-proxy"],
  versionNotes: ["hostname-v2"],
  signals: [
    {
      where: "user-event",
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      reason: "Invalid token issuer. Expected '<url>', but was '<iss>'",
      status: 401,
      note: 'The token was issued under one hostname and presented under another. Older servers omit the "but was" part.',
    },
    {
      where: "user-event",
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Invalid token issuer. Expected '<url>', but was '<iss>'",
      status: 400,
      note: "The same on refresh (invalid_grant). REFRESH_TOKEN_ERROR is not saved by default.",
    },
    {
      where: "user-event",
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Access token JWT check failed",
      status: 200,
      note: 'Introspection answers "active": false; the reason is generic (issuer, signature or parse) and only a DEBUG log tells which.',
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "invalid_redirect_uri",
      note: "The redirect_uri detail differs from a registered one only by http vs https or by a port: the proxy did not forward the original scheme or port.",
    },
    {
      where: "http",
      status: 403,
      note: "HTTPS required at the token endpoint: the realm requires SSL and Keycloak does not trust X-Forwarded-Proto. No event is written.",
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "cookie_not_found",
      note: "Login cookies lost between requests: a proxy rewriting paths or domains, SameSite in third-party frames, or http/https flips.",
    },
    {
      where: "log",
      note: "Every event's ipAddress is the proxy's address: Keycloak does not read X-Forwarded-For (proxy-headers not set).",
    },
  ],
  content: (v) => {
    // Only the realm's Frontend URL or an issuer seen: the URL realmwatch syncs from is often internal, and
    // written into --hostname or frontendUrl it would break every token of the realm.
    const publicUrl = v.publicUrl;
    return {
      meaning: [
        paragraph(
          "Keycloak and the parties around it disagree about Keycloak's own URL. Keycloak writes its URL into every token (iss) and compares it on every check; a reverse proxy that drops the original scheme, host or port, or a hostname change, makes valid tokens look foreign.",
        ),
        list(
          "Issuer mismatch: tokens minted at https://old/realms/x are checked by a Keycloak that now believes it is https://new/realms/x, or an API validates iss against an internal URL (http://keycloak:8080).",
          "Lost scheme: Keycloak behind a TLS-terminating proxy sees http, builds http redirect URIs and refuses token requests with HTTPS required.",
          "Lost port or host: redirect URIs, cookies and discovery documents carry the wrong authority.",
        ),
      ],
      confirm: [
        snippet(
          "bash",
          [
            ...realmEndpointVars(v),
            "# The issuer Keycloak advertises for requests arriving this way (run it from outside and from the API's network)",
            'curl -s "$KC/realms/$REALM/.well-known/openid-configuration" | jq -r .issuer',
          ].join("\n"),
        ),
        decodeTokenScript(["iss", "azp", "exp"]),
        paragraph(
          `The token's iss must equal the advertised issuer${v.known("issuer") ? ` (failures here saw ${v.issuer})` : ""}. A difference in scheme or port points at forwarded headers; a different host at --hostname or the realm's Frontend URL.`,
        ),
        steps(
          {
            text: "Look for a realm-level Frontend URL that overrides the server's hostname for this realm.",
            path: ["Realm settings", "General", "Frontend URL"],
            link: consoleLink(v, "Open realm settings", ["realm-settings", "general"]),
          },
          {
            text: "Compare the admin events around the start of the failures: a realm UPDATE (frontendUrl) or a redeploy with new options is the usual trigger.",
          },
        ),
      ],
      console: [
        paragraph(
          "The hostname is a server option, not a console setting. Start Keycloak with the public URL and trust the proxy's forwarded headers:",
        ),
        snippet(
          "bash",
          [
            `bin/kc.sh start --hostname=${shellQuote(publicUrl)} --http-enabled=true --proxy-headers=xforwarded`,
            "# same as environment: KC_HOSTNAME, KC_HTTP_ENABLED=true, KC_PROXY_HEADERS=xforwarded",
            "# back-end services reaching Keycloak by an internal URL: add --hostname-backchannel-dynamic=true",
            "# remove --proxy=edge and --hostname-url/--hostname-path/--hostname-port (gone in 26)",
          ].join("\n"),
          "Keycloak 26 server options behind a TLS-terminating proxy",
        ),
        snippet(
          "nginx",
          [
            "location / {",
            "    proxy_pass http://keycloak:8080;",
            "    proxy_set_header Host $host;",
            "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "    proxy_set_header X-Forwarded-Proto $scheme;",
            "    proxy_set_header X-Forwarded-Host $host;",
            "    proxy_set_header X-Forwarded-Port $server_port;",
            "}",
          ].join("\n"),
          "nginx in front of Keycloak (set and overwrite the forwarded headers)",
        ),
        steps(
          {
            text: "Only if this realm must be reached under a different URL than the server's hostname: set its Frontend URL; otherwise clear it.",
            path: ["Realm settings", "General", "Frontend URL"],
            link: consoleLink(v, "Open realm settings", ["realm-settings", "general"]),
          },
          {
            text: "Point every API's issuer setting (issuer-uri, authority) at the public issuer the discovery document shows, never at an internal address.",
          },
          {
            text: "In front of an API, forward the token: proxy_set_header Authorization $http_authorization;",
          },
        ),
      ],
      kcadm: [
        kcadmScript(
          v,
          {},
          [
            "# 1. Read the realm-level override first and keep it: it is the value to put back to undo the change",
            'kcadm.sh get "realms/$REALM" | jq -r \'.attributes.frontendUrl // ""\' | tee frontend-url.before',
            "# 2. Only if this realm must be reached under another URL than the server's --hostname: set it to the",
            "#    public base URL (without /realms/...), or clear it with an empty value",
            `kcadm.sh update "realms/$REALM" -s ${shellQuote(`attributes.frontendUrl=${publicUrl}`)}`,
            '# Undo: kcadm.sh update "realms/$REALM" -s "attributes.frontendUrl=$(cat frontend-url.before)"',
          ],
          "Read and set the realm's Frontend URL",
        ),
      ],
      curl: [
        curlScript(
          v,
          {},
          [
            "# 1. Read the current value first and keep it (the value to put back to undo the change)",
            'curl -s -H "$AUTH" "$KC/admin/realms/$REALM" | jq -r \'.attributes.frontendUrl // ""\' | tee frontend-url.before',
            "# 2. Only if this realm must be reached under another URL than the server's --hostname:",
            `curl -s -H "$AUTH" "$KC/admin/realms/$REALM" | jq --arg u ${shellQuote(publicUrl)} '.attributes.frontendUrl = $u' \\`,
            '| curl -s -X PUT -H "$AUTH" -H \'Content-Type: application/json\' --data-binary @- "$KC/admin/realms/$REALM"',
          ],
          "Read and set the realm's Frontend URL",
        ),
      ],
      verify: [
        snippet(
          "bash",
          [
            ...realmEndpointVars(v),
            "curl -s \"$KC/realms/$REALM/.well-known/openid-configuration\" | jq -r '.issuer, .token_endpoint'",
            "# both https and under the public host; a fresh token's iss equals .issuer",
          ].join("\n"),
        ),
        list(
          "Tokens issued under the old hostname stay invalid: users must log in again (or clients fetch new tokens).",
          "Events show the clients' real addresses instead of the proxy's.",
          "realmwatch's live check Issuer and hostname turns to pass; Invalid token issuer failures stop.",
        ),
      ],
    };
  },
};

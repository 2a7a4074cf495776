import type { PLACEHOLDERS } from "@/lib/fixes/fix-values";

/** Where a person finds a value the failures did not carry, for each placeholder a page may keep. */
export const PLACEHOLDER_HINTS: Record<(typeof PLACEHOLDERS)[keyof typeof PLACEHOLDERS], string> = {
  "<keycloak-url>": "the URL you open the admin console at, without /admin/...",
  "<keycloak-version>": "the Sources page, or the admin console's Server info",
  "<public-url>":
    "the URL users reach Keycloak at: iss of a token a user got, without /realms/<realm> (never an internal address)",
  "<realm>": "the realm selector at the top left of the admin console",
  "<client-id>":
    "the client_id parameter of the application's login or token request (Clients lists them all)",
  "<client-uuid>":
    "looked up by the commands themselves; in the console, the id in the client page's address",
  "<user-id>":
    "looked up by the commands from the username; in the console, the id in the user page's address",
  "<username>": "the username of the failing event (Users > search), or service-account-<client-id>",
  "<role>": "the API's 403 answer or its authorization settings: the role it checks",
  "<role-client-id>": "the API's settings: the client whose roles it reads (resource_access.<client>.roles)",
  "<role-id>":
    "the role's page in the admin console (Realm roles, or the client's Roles tab): the id in its address",
  "<role-client-uuid>":
    "the admin console's Clients list: open the client that owns the role; the UUID is in the address",
  "<api-client-id>": "the API's token validation settings: the audience it expects in aud",
  "<scope>": "the scope parameter of the application's authorization or token request",
  "<origin>": "the browser's developer tools: the Origin header of the refused request",
  "<redirect-uri>": "the redirect_uri parameter in the address bar of the failing login request",
  "<issuer>": "iss of a failing token (decode it as in Confirm it)",
};

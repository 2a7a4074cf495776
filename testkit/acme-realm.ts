import { audienceMapper, type FakeRealm } from "./fake-admin-api";

/** A fresh copy of a small realm with the misconfigurations the live checks look for. */
export function acmeRealm(): FakeRealm {
  return {
    name: "acme",
    attributes: {},
    sslRequired: "external",
    advertisedIssuer: "https://auth.acme.example/realms/acme",
    events: { eventsEnabled: true, enabledEventTypes: ["LOGIN", "LOGIN_ERROR", "CODE_TO_TOKEN_ERROR"] },
    scopes: [
      { id: "s-basic", name: "basic" },
      { id: "s-roles", name: "roles" },
      { id: "s-profile", name: "profile" },
      { id: "s-email", name: "email" },
      { id: "s-web-origins", name: "web-origins" },
      { id: "s-address", name: "address" },
      {
        id: "s-orders-aud",
        name: "orders-audience",
        mappers: [audienceMapper("orders-audience", "orders-api")],
      },
    ],
    roles: [
      { id: "r-reader", name: "reader" },
      { id: "r-agent", name: "support-agent" },
      { id: "r-viewer", name: "support-viewer" },
      { id: "r-lead", name: "support-lead", composites: ["r-agent", "r-viewer"] },
      { id: "cr-orders-reader", name: "reader", clientUuid: "c-orders" },
      { id: "cr-view-users", name: "view-users", clientUuid: "c-rm" },
      { id: "cr-query-users", name: "query-users", clientUuid: "c-rm" },
      { id: "cr-view-events", name: "view-events", clientUuid: "c-rm" },
    ],
    clients: [
      {
        id: "c-spa",
        clientId: "spa",
        rootUrl: "https://www.acme.example",
        redirectUris: ["https://www.acme.example/*", "/silent-check-sso.html"],
        webOrigins: ["https://www.acme.example"],
        defaultScopes: ["basic", "roles", "profile", "email", "web-origins"],
        optionalScopes: ["address", "orders-audience"],
      },
      { id: "c-orders", clientId: "orders-api" },
      { id: "c-rm", clientId: "realm-management" },
      {
        id: "c-rep",
        clientId: "reporting",
        serviceAccountsEnabled: true,
        defaultScopes: ["basic", "roles"],
      },
      {
        id: "c-desk",
        clientId: "support-desk",
        fullScopeAllowed: false,
        scopeMappings: ["r-agent", "r-viewer"],
        rootUrl: "https://support.acme.example",
        redirectUris: ["https://support.acme.example/*"],
        webOrigins: ["+"],
        defaultScopes: ["basic", "roles", "profile"],
      },
    ],
    users: [
      { id: "u-alice", username: "alice", roles: ["r-reader"] },
      { id: "u-olivia", username: "olivia", roles: ["r-lead"] },
      { id: "u-bob", username: "bob", roles: ["cr-orders-reader"] },
      {
        id: "u-sa",
        username: "service-account-reporting",
        roles: ["cr-query-users", "cr-view-events"],
        serviceAccountOf: "c-rep",
      },
    ],
  };
}

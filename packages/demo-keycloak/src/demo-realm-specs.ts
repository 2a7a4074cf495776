import type { EventsConfig } from "./realm-model";

/** Declarative content of the demo realms. Incidents (demo-incidents.ts) refer to these names. */

export interface DemoClientSpec {
  clientId: string;
  name: string;
  publicClient?: boolean;
  secret?: string;
  standardFlow?: boolean;
  directAccessGrants?: boolean;
  /** realm-management roles of the client's service account; present = service accounts enabled. */
  serviceAccountRoles?: string[];
  redirectUris?: string[];
  webOrigins?: string[];
  rootUrl?: string;
  fullScopeAllowed?: boolean;
  /** Realm role names in the client's dedicated scope (when fullScopeAllowed is off). */
  scopeMappings?: string[];
  roles?: string[];
  authorizationServices?: boolean;
  /** Client ids added to `aud` by an oidc-audience-mapper on the client. */
  audienceMappers?: string[];
  attributes?: Record<string, string>;
}

export interface DemoRealmSpec {
  name: string;
  displayName: string;
  frontendUrl?: string;
  events: Partial<EventsConfig>;
  /** Save the saveByDefault types plus DENIAL_EVENT_TYPES (what realmwatch's set-up page recommends). */
  saveDenialTypes?: boolean;
  ssoSessionIdleTimeout?: number;
  realmRoles: Array<{ name: string; description?: string; composites?: string[] }>;
  clients: DemoClientSpec[];
  /** Ordinary users generated for the traffic. */
  userCount: number;
  emailDomain: string;
  /** Realm roles given to named users: [username, roles]. */
  userRoles?: Array<[string, string[]]>;
  /** Client roles given to named users: [username, clientId, roles]. */
  userClientRoles?: Array<[string, string, string[]]>;
  /** UTC hour at which the realm's business day starts (the traffic's daily shape). */
  businessDayStartUtc: number;
}

/** The event types realmwatch needs for 403 analytics, which Keycloak does not save by default. */
export const DENIAL_EVENT_TYPES = [
  "USER_INFO_REQUEST_ERROR",
  "INTROSPECT_TOKEN_ERROR",
  "REFRESH_TOKEN_ERROR",
  "PERMISSION_TOKEN_ERROR",
] as const;

export const DEMO_SIGN_IN_USERS = ["viewer", "analyst", "admin"] as const;

const SIGN_IN_ROLES = DEMO_SIGN_IN_USERS.map((name) => ({ name, description: `realmwatch ${name}` }));

export const DEMO_REALM_SPECS: readonly DemoRealmSpec[] = [
  {
    name: "acme",
    displayName: "ACME Online Store",
    events: { eventsEnabled: true, adminEventsEnabled: true, adminEventsDetailsEnabled: true },
    saveDenialTypes: true,
    ssoSessionIdleTimeout: 300,
    realmRoles: [
      ...SIGN_IN_ROLES,
      { name: "orders-admin", description: "Created by mistake: the orders API checks its client role" },
      { name: "support-agent" },
      { name: "support-viewer" },
      { name: "support-lead", composites: ["support-agent", "support-viewer"] },
    ],
    clients: [
      {
        clientId: "acme-spa",
        name: "ACME web shop (SPA)",
        publicClient: true,
        rootUrl: "https://www.acme.example",
        redirectUris: ["https://www.acme.example/*"],
        webOrigins: ["https://www.acme.example"],
      },
      {
        clientId: "acme-mobile",
        name: "ACME mobile app",
        publicClient: true,
        redirectUris: ["com.acme.shop:/oauth2redirect"],
      },
      {
        clientId: "acme-orders-api",
        name: "ACME orders API",
        secret: "acme-orders-api-secret",
        standardFlow: false,
        roles: ["orders-admin", "orders-read"],
      },
      {
        clientId: "acme-reporting",
        name: "ACME reporting job",
        secret: "acme-reporting-secret",
        standardFlow: false,
        // view-users (a composite holding query-users) was removed; without query-users, GET users is a 403.
        serviceAccountRoles: ["view-events"],
      },
      {
        clientId: "acme-support-desk",
        name: "ACME support desk",
        secret: "acme-support-desk-secret",
        rootUrl: "https://support.acme.example",
        redirectUris: ["https://support.acme.example/*"],
        webOrigins: ["+"],
        fullScopeAllowed: false,
        scopeMappings: ["support-agent", "support-viewer"],
      },
    ],
    userCount: 240,
    emailDomain: "acme.example",
    userRoles: [
      ["olivia.martin", ["support-lead"]],
      ["marco.rossi", ["orders-admin"]],
      ["lena.vogel", []],
      // Hostile on purpose: a UI showing usernames must escape it.
      ["<img src=x onerror=alert(1)>", []],
    ],
    businessDayStartUtc: 7,
  },
  {
    name: "retail",
    displayName: "Retail Group",
    frontendUrl: "https://sso.retail.example",
    events: { eventsEnabled: true, adminEventsEnabled: true },
    saveDenialTypes: true,
    realmRoles: [...SIGN_IN_ROLES, { name: "buyer" }],
    clients: [
      {
        clientId: "retail-shop",
        name: "Retail shop",
        secret: "retail-shop-secret",
        rootUrl: "https://shop.retail.example",
        redirectUris: ["https://shop.retail.example/*"],
        webOrigins: ["+"],
      },
      {
        clientId: "retail-portal",
        name: "Retail partner portal",
        secret: "retail-portal-secret",
        rootUrl: "https://portal.retail.example:8443",
        redirectUris: ["https://portal.retail.example:8443/*"],
        webOrigins: ["+"],
      },
      {
        clientId: "retail-backend",
        name: "Retail backend API",
        secret: "retail-backend-secret-rotated",
        standardFlow: false,
        serviceAccountRoles: [],
      },
      {
        clientId: "retail-mobile",
        name: "Retail mobile app",
        publicClient: true,
        redirectUris: ["com.retail.app:/callback"],
      },
      {
        clientId: "retail-orders-api",
        name: "Retail orders API (Authorization Services)",
        secret: "retail-orders-api-secret",
        standardFlow: false,
        serviceAccountRoles: [],
        authorizationServices: true,
        roles: ["uma_protection"],
      },
      {
        clientId: "retail-reports",
        name: "Retail reports",
        secret: "retail-reports-secret",
        redirectUris: ["https://reports.retail.example/*"],
        directAccessGrants: true,
      },
    ],
    userCount: 180,
    emailDomain: "retail.example",
    businessDayStartUtc: 13,
  },
  {
    name: "internal",
    displayName: "Internal tools",
    // Keycloak's defaults apart from saving: enabledEventTypes empty, so the 403-relevant *_ERROR types
    // (USER_INFO_REQUEST_ERROR, REFRESH_TOKEN_ERROR ...) are not saved here.
    events: { eventsEnabled: true, adminEventsEnabled: true },
    realmRoles: [...SIGN_IN_ROLES, { name: "employee" }],
    clients: [
      {
        clientId: "internal-portal",
        name: "Intranet portal",
        secret: "internal-portal-secret",
        rootUrl: "https://intranet.internal.example",
        redirectUris: ["https://intranet.internal.example/*"],
        webOrigins: ["+"],
      },
      {
        clientId: "internal-gateway",
        name: "API gateway (token exchange)",
        secret: "internal-gateway-secret",
        standardFlow: false,
        attributes: { "standard.token.exchange.enabled": "true" },
      },
      {
        clientId: "internal-billing-api",
        name: "Billing API",
        secret: "internal-billing-api-secret",
        standardFlow: false,
        roles: ["invoices-read"],
      },
      {
        clientId: "internal-batch",
        name: "Nightly batch",
        secret: "internal-batch-secret",
        standardFlow: false,
        serviceAccountRoles: [],
      },
    ],
    userCount: 90,
    emailDomain: "internal.example",
    businessDayStartUtc: 6,
  },
];

export const FIRST_NAMES = [
  "olivia",
  "liam",
  "emma",
  "noah",
  "ava",
  "elijah",
  "sophia",
  "lucas",
  "mia",
  "mateo",
  "amelia",
  "leo",
  "harper",
  "ethan",
  "evelyn",
  "james",
  "aria",
  "henry",
  "chloe",
  "jack",
  "nora",
  "samuel",
  "lily",
  "david",
  "zoe",
  "daniel",
  "hannah",
  "owen",
  "layla",
  "julian",
  "ella",
  "gabriel",
  "maya",
  "isaac",
  "ines",
  "yuki",
  "priya",
  "arjun",
  "fatima",
  "omar",
] as const;

export const LAST_NAMES = [
  "martin",
  "smith",
  "garcia",
  "mueller",
  "rossi",
  "dubois",
  "nakamura",
  "kowalski",
  "silva",
  "jensen",
  "novak",
  "ivanova",
  "haddad",
  "okafor",
  "singh",
  "chen",
  "kim",
  "nguyen",
  "lopez",
  "schmidt",
  "bernard",
  "larsen",
  "horvat",
  "costa",
  "fischer",
  "moreau",
  "tanaka",
  "patel",
  "ali",
  "brown",
] as const;

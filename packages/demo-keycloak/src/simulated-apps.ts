/**
 * How the demo's simulated applications call Keycloak. Some planted incidents are the caller's fault
 * (a token requested without `openid`, a stale secret, a proxy that loses the scheme); the control API
 * can "fix the app" by patching these, as realm fixes are made through the admin endpoints.
 */
export interface SimulatedApp {
  realm: string;
  clientId: string;
  /** The scope parameter the app sends. */
  requestedScope: string;
  /** The secret the app authenticates with (confidential clients). */
  secret: string | null;
  /** The redirect_uri the app sends (as its proxy lets it see its own URL). */
  redirectUri: string | null;
  /** The browser origin the app runs on. */
  origin: string | null;
  /** How often the app refreshes its tokens, in seconds. */
  refreshIntervalSec: number;
  /** Authorization Services: whether the resource server's policy grants the app's permission. */
  permissionGranted: boolean;
}

const app = (realm: string, clientId: string, patch: Partial<SimulatedApp>): SimulatedApp => ({
  realm,
  clientId,
  requestedScope: "openid profile email",
  secret: null,
  redirectUri: null,
  origin: null,
  refreshIntervalSec: 240,
  permissionGranted: true,
  ...patch,
});

export const INITIAL_APPS: readonly SimulatedApp[] = [
  app("acme", "acme-spa", {
    // The SPA's token request leaves out `openid`, then calls userinfo.
    requestedScope: "profile email",
    redirectUri: "https://www.acme.example/callback",
    // A new storefront domain the client's web origins do not list.
    origin: "https://app.acme.example",
  }),
  app("acme", "acme-mobile", { redirectUri: "com.acme.shop:/oauth2redirect", refreshIntervalSec: 900 }),
  app("acme", "acme-reporting", { secret: "acme-reporting-secret", requestedScope: "" }),
  app("acme", "acme-support-desk", {
    secret: "acme-support-desk-secret",
    redirectUri: "https://support.acme.example/callback",
  }),
  app("retail", "retail-shop", {
    secret: "retail-shop-secret",
    redirectUri: "http://shop.retail.example/callback",
  }),
  app("retail", "retail-portal", {
    secret: "retail-portal-secret",
    redirectUri: "https://portal.retail.example/callback",
  }),
  // Still configured with the secret from before the rotation.
  app("retail", "retail-backend", { secret: "retail-backend-secret", requestedScope: "" }),
  app("retail", "retail-mobile", { redirectUri: "com.retail.app:/callback" }),
  app("retail", "retail-reports", { secret: "retail-reports-secret", permissionGranted: false }),
  app("internal", "internal-portal", {
    secret: "internal-portal-secret",
    redirectUri: "https://intranet.internal.example/callback",
  }),
  app("internal", "internal-gateway", { secret: "internal-gateway-secret", requestedScope: "" }),
  app("internal", "internal-batch", { secret: "internal-batch-secret", requestedScope: "" }),
];

export class SimulatedApps {
  private readonly apps = new Map<string, SimulatedApp>();

  constructor(apps: readonly SimulatedApp[] = INITIAL_APPS) {
    for (const a of apps) this.apps.set(`${a.realm}/${a.clientId}`, { ...a });
  }

  get(realm: string, clientId: string): SimulatedApp | undefined {
    return this.apps.get(`${realm}/${clientId}`);
  }

  all(): SimulatedApp[] {
    return [...this.apps.values()];
  }

  /** Applies a patch of the known fields; returns the app or undefined when there is no such app. */
  patch(realm: string, clientId: string, patch: Record<string, unknown>): SimulatedApp | undefined {
    const a = this.apps.get(`${realm}/${clientId}`);
    if (!a) return undefined;
    if (typeof patch.requestedScope === "string") a.requestedScope = patch.requestedScope;
    if (typeof patch.secret === "string" || patch.secret === null) a.secret = patch.secret as string | null;
    if (typeof patch.redirectUri === "string") a.redirectUri = patch.redirectUri;
    if (typeof patch.origin === "string" || patch.origin === null) a.origin = patch.origin as string | null;
    if (typeof patch.refreshIntervalSec === "number" && patch.refreshIntervalSec > 0)
      a.refreshIntervalSec = patch.refreshIntervalSec;
    if (typeof patch.permissionGranted === "boolean") a.permissionGranted = patch.permissionGranted;
    return a;
  }
}

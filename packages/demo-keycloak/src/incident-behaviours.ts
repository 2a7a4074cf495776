import { adminRoles } from "./admin-auth";
import { isTemporarilyDisabled, recordLoginFailure, recordLoginSuccess } from "./brute-force";
import type { DemoIncident } from "./demo-incidents";
import type { DemoState } from "./demo-state";
import { FORBIDDEN } from "./keycloak-errors";
import type { Prng } from "./prng";
import {
  findClient,
  findUserByUsername,
  isOriginAllowed,
  type RealmModel,
  realmIssuer,
  type UserModel,
} from "./realm-model";
import { clientAllowsRedirect } from "./redirect-uris";
import { accessTokenClaims, resolveScopes } from "./token-claims";
import { mintAccessToken } from "./token-issuer";
import type { TrafficSink } from "./traffic-sink";
import type { RealmWorld } from "./traffic-world";

export interface IncidentContext {
  state: DemoState;
  sink: TrafficSink;
  prng: Prng;
  incident: DemoIncident;
  realm: RealmModel;
  world: RealmWorld;
}

export interface IncidentBehaviour {
  /** One failure at time t. */
  emit(ctx: IncidentContext, t: number): void;
  /** Background activity the incident replaces while active (see background-traffic.ts). */
  blocks?: string[];
  /**
   * Live traffic: whether the misconfiguration is still in place, read from the realm model and the
   * simulated apps, so a fix made through the admin endpoints ends the failures. Absent: the incident
   * lasts its window only.
   */
  stillBroken?(state: DemoState): boolean;
  /** Failures do not follow business hours (machine callers). */
  constant?: boolean;
  /** Multiplier on the rate at time t (default 1). */
  decay?(incident: DemoIncident, t: number): number;
  /** Produces the whole incident in one go instead of at a rate. */
  schedule?(ctx: IncidentContext, from: number, to: number): void;
}

const app = (state: DemoState, realm: string, clientId: string) => state.apps.get(realm, clientId)!;
const realmOf = (state: DemoState, name: string) => state.realms.get(name)!;
const clientOf = (state: DemoState, realm: string, clientId: string) =>
  findClient(realmOf(state, realm), clientId)!;
const userOf = (state: DemoState, realm: string, username: string) =>
  findUserByUsername(realmOf(state, realm), username)!;
const pickUser = (ctx: IncidentContext): UserModel => ctx.prng.pick(ctx.world.users);

/** The claims Keycloak would put in a token for this client and user now (nothing is signed or stored). */
function exampleClaims(state: DemoState, realm: string, clientId: string, user: UserModel) {
  const r = realmOf(state, realm);
  const client = clientOf(state, realm, clientId);
  const scope = resolveScopes(r, client, app(state, realm, clientId)?.requestedScope ?? "openid");
  if ("invalid" in scope) return null;
  return accessTokenClaims({
    realm: r,
    client,
    user,
    ...scope,
    issuer: realmIssuer(r, state.baseUrl),
    nowMs: state.now(),
    jti: "",
    sessionId: null,
  });
}

function reportToken(ctx: IncidentContext, clientId: string, user: UserModel, t: number): string {
  const client = clientOf(ctx.state, ctx.realm.name, clientId);
  const scope = resolveScopes(ctx.realm, client, app(ctx.state, ctx.realm.name, clientId).requestedScope);
  const scopes = "invalid" in scope ? { scopes: [], openid: false } : scope;
  return mintAccessToken(ctx.state, {
    realm: ctx.realm,
    client,
    user,
    ...scopes,
    sessionId: ctx.prng.uuid(),
    at: t,
  }).token;
}

const redirectIncident = (clientId: string): IncidentBehaviour => ({
  blocks: [`login:${clientId}`],
  emit: (ctx, t) => {
    const user = pickUser(ctx);
    ctx.sink.userEvent(ctx.realm, {
      time: t,
      type: "LOGIN_ERROR",
      clientId,
      userId: null,
      ipAddress: ctx.world.ipOf(user),
      error: "invalid_redirect_uri",
      details: { redirect_uri: app(ctx.state, ctx.realm.name, clientId).redirectUri ?? "" },
    });
  },
  stillBroken: (state) => {
    const a = app(state, "retail", clientId);
    return !clientAllowsRedirect(state, clientOf(state, "retail", clientId), a.redirectUri ?? "");
  },
});

export const INCIDENT_BEHAVIOURS: Record<string, IncidentBehaviour> = {
  "userinfo-missing-openid": {
    blocks: ["userinfo:acme-spa"],
    // UserInfoEndpoint checks the scope before it knows the client: clientId and userId stay null.
    emit: (ctx, t) =>
      ctx.sink.userEvent(
        ctx.realm,
        {
          time: t,
          type: "USER_INFO_REQUEST_ERROR",
          clientId: null,
          userId: null,
          ipAddress: ctx.world.ipOf(pickUser(ctx)),
          error: "access_denied",
          details: { auth_method: "validate_access_token", reason: "Missing openid scope" },
        },
        {
          referer: "https://www.acme.example/account",
          userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15",
        },
      ),
    stillBroken: (state) => !app(state, "acme", "acme-spa").requestedScope.split(" ").includes("openid"),
  },

  "admin-api-missing-view-users": {
    constant: true,
    blocks: ["users-api:acme-reporting"],
    // Admin REST 403s write no event: only the access log has them, with the service account as %u.
    emit: (ctx, t) =>
      ctx.sink.accessLine({
        time: t,
        ip: "10.20.1.15",
        user: "acme-reporting",
        method: "GET",
        target: "/admin/realms/acme/users?first=0&max=100&briefRepresentation=true",
        status: 403,
        bytes: JSON.stringify(FORBIDDEN.body).length,
        referer: null,
        userAgent: "acme-reporting/2.4 node",
      }),
    stillBroken: (state) => {
      const realm = realmOf(state, "acme");
      const sa = userOf(state, "acme", "service-account-acme-reporting");
      return !adminRoles({ tokenRealm: realm, user: sa, claims: {} }, realm).has("view-users");
    },
  },

  "rotated-client-secret": {
    constant: true,
    blocks: ["client-login:retail-backend"],
    emit: (ctx, t) =>
      ctx.sink.userEvent(ctx.realm, {
        time: t,
        type: "CLIENT_LOGIN_ERROR",
        clientId: "retail-backend",
        userId: null,
        ipAddress: "10.20.1.15",
        error: "invalid_client_credentials",
        details: { grant_type: "client_credentials" },
      }),
    stillBroken: (state) =>
      app(state, "retail", "retail-backend").secret !== clientOf(state, "retail", "retail-backend").secret,
  },

  "redirect-uri-scheme-lost": redirectIncident("retail-shop"),
  "redirect-uri-port-lost": redirectIncident("retail-portal"),

  "issuer-mismatch-after-hostname-change": {
    decay: (incident, t) => Math.exp(-(t - incident.start) / (2 * 3_600_000)) * 2,
    emit: (ctx, t) => {
      const expected = realmIssuer(ctx.realm, ctx.state.baseUrl);
      const reason = `Invalid token issuer. Expected '${expected}', but was '${expected.replace("://sso.", "://sso-old.")}'`;
      const ip = ctx.world.ipOf(pickUser(ctx));
      if (ctx.prng.chance(0.7)) {
        ctx.sink.userEvent(ctx.realm, {
          time: t,
          type: "REFRESH_TOKEN_ERROR",
          clientId: "retail-mobile",
          userId: null,
          ipAddress: ip,
          error: "invalid_token",
          details: { grant_type: "refresh_token", reason },
        });
      } else {
        ctx.sink.userEvent(ctx.realm, {
          time: t,
          type: "USER_INFO_REQUEST_ERROR",
          clientId: null,
          userId: null,
          ipAddress: ip,
          error: "invalid_token",
          details: { auth_method: "validate_access_token", reason },
        });
      }
    },
  },

  "brute-force-lockout": {
    emit: () => {},
    // One attempt every 8 seconds from one address, through Keycloak's own brute-force rules: the
    // 10th failure locks the user for 5 minutes, attempts meanwhile fail as user_temporarily_disabled.
    schedule: (ctx, from, to) => {
      const user = userOf(ctx.state, "acme", ctx.incident.user!);
      const ip = "198.51.100.77";
      const details = {
        auth_method: "openid-connect",
        auth_type: "code",
        redirect_uri: "https://www.acme.example/callback",
        username: user.username,
      };
      for (let t = ctx.incident.start; t < Math.min(ctx.incident.end ?? to, to); t += 8000) {
        if (t < from) continue;
        const code_id = ctx.prng.uuid();
        if (isTemporarilyDisabled(ctx.realm, user, t)) {
          ctx.sink.userEvent(ctx.realm, {
            time: t,
            type: "LOGIN_ERROR",
            clientId: "acme-spa",
            userId: user.id,
            ipAddress: ip,
            error: "user_temporarily_disabled",
            details: { ...details, code_id },
          });
          continue;
        }
        ctx.sink.userEvent(ctx.realm, {
          time: t,
          type: "LOGIN_ERROR",
          clientId: "acme-spa",
          userId: user.id,
          ipAddress: ip,
          error: "invalid_user_credentials",
          details: { ...details, code_id },
        });
        if (recordLoginFailure(ctx.realm, user, ip, t)) {
          ctx.sink.userEvent(
            ctx.realm,
            {
              time: t + 3,
              type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
              clientId: null,
              userId: user.id,
              ipAddress: ip,
              details: { reason: "brute_force_attack detected" },
            },
            null,
          );
        }
      }
      // Half an hour after the attack stops, once the lock has expired, lena signs in from her own address
      // and works as usual: the traffic that tells the incident is over.
      const end = ctx.incident.end;
      if (end !== null && end <= to) {
        const at = end + 30 * 60_000;
        // A successful login clears the failures (DefaultBruteForceProtector#successfulLogin).
        recordLoginSuccess(ctx.realm, user);
        const sessionId = ctx.prng.uuid();
        const base = { clientId: "acme-spa", userId: user.id, ipAddress: "192.168.40.23", sessionId };
        ctx.sink.userEvent(ctx.realm, {
          ...base,
          time: at,
          type: "LOGIN",
          details: { ...details, code_id: sessionId, consent: "no_consent_required" },
        });
        for (let k = 0; k < 6; k++) {
          ctx.sink.userEvent(ctx.realm, {
            ...base,
            time: at + 2_000 + k * 300_000,
            type: k === 0 ? "CODE_TO_TOKEN" : "REFRESH_TOKEN",
            details: {
              grant_type: k === 0 ? "authorization_code" : "refresh_token",
              token_id: ctx.prng.uuid(),
              refresh_token_type: "Refresh",
              scope: "openid profile email",
            },
          });
        }
      }
    },
  },

  "token-exchange-audience": {
    emit: (ctx, t) => {
      const user = pickUser(ctx);
      const reason = "client is not within the token audience";
      ctx.sink.userEvent(ctx.realm, {
        time: t,
        type: "TOKEN_EXCHANGE_ERROR",
        clientId: "internal-gateway",
        userId: user.id,
        ipAddress: "10.20.2.15",
        error: "not_allowed",
        details: {
          auth_method: "token_exchange",
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token_client_id: "internal-portal",
          requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
          audience: "internal-billing-api",
          reason,
        },
      });
    },
    // Standard token exchange: the requester must be in the subject token's aud.
    stillBroken: (state) => {
      const user = userOf(state, "internal", "viewer");
      const claims = exampleClaims(state, "internal", "internal-portal", user);
      const aud = claims?.aud;
      return !(aud === "internal-gateway" || (Array.isArray(aud) && aud.includes("internal-gateway")));
    },
  },

  "expired-refresh-tokens": {
    blocks: ["refresh:acme-mobile"],
    emit: (ctx, t) =>
      ctx.sink.userEvent(ctx.realm, {
        time: t,
        type: "REFRESH_TOKEN_ERROR",
        clientId: "acme-mobile",
        userId: null,
        ipAddress: ctx.world.ipOf(pickUser(ctx)),
        error: "invalid_token",
        details: { grant_type: "refresh_token", reason: "Token is not active" },
      }),
    stillBroken: (state) =>
      realmOf(state, "acme").ssoSessionIdleTimeout < app(state, "acme", "acme-mobile").refreshIntervalSec,
  },

  "authz-permission-denied": {
    emit: (ctx, t) => {
      const user = pickUser(ctx);
      ctx.sink.userEvent(ctx.realm, {
        time: t,
        type: "PERMISSION_TOKEN_ERROR",
        clientId: "retail-reports",
        userId: user.id,
        ipAddress: ctx.world.ipOf(user),
        error: "access_denied",
        details: {
          auth_method: "oauth_credentials",
          grant_type: "urn:ietf:params:oauth:grant-type:uma-ticket",
          permission: "orders#read",
          audience: "retail-orders-api",
          reason: "not_authorized",
        },
      });
    },
    stillBroken: (state) => !app(state, "retail", "retail-reports").permissionGranted,
  },

  // Since 26.6.3 the token endpoint refuses an origin the client does not allow with 403 before any
  // event is written: the access log is the only trace.
  "cors-invalid-origin": {
    emit: (ctx, t) => {
      const origin = app(ctx.state, "acme", "acme-spa").origin ?? "https://app.acme.example";
      ctx.sink.accessLine({
        time: t,
        ip: ctx.world.ipOf(pickUser(ctx)),
        user: "acme-spa",
        method: "POST",
        target: "/realms/acme/protocol/openid-connect/token",
        status: 403,
        bytes: JSON.stringify({ error: "Invalid origin" }).length,
        referer: `${origin}/checkout`,
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/142.0 Safari/537.36",
      });
    },
    stillBroken: (state) => {
      const origin = app(state, "acme", "acme-spa").origin;
      return origin !== null && !isOriginAllowed(clientOf(state, "acme", "acme-spa"), origin);
    },
  },

  "realm-role-instead-of-client-role": {
    emit: (ctx, t) => {
      const user = userOf(ctx.state, "acme", ctx.incident.user!);
      ctx.sink.report({
        method: "DELETE",
        path: `/api/orders/${100_000 + ctx.prng.int(900_000)}`,
        status: 403,
        required: { clientRoles: [{ clientId: "acme-orders-api", roles: ["orders-admin"] }] },
        token: reportToken(ctx, "acme-spa", user, t),
        time: t,
      });
    },
    stillBroken: (state) => {
      const claims = exampleClaims(state, "acme", "acme-spa", userOf(state, "acme", "marco.rossi"));
      const access = claims?.resource_access as Record<string, { roles: string[] }> | undefined;
      return !access?.["acme-orders-api"]?.roles.includes("orders-admin");
    },
  },

  "composite-role-not-in-scope": {
    emit: (ctx, t) => {
      const user = userOf(ctx.state, "acme", ctx.incident.user!);
      ctx.sink.report({
        method: "POST",
        path: `/api/tickets/${10_000 + ctx.prng.int(90_000)}/escalate`,
        status: 403,
        required: { realmRoles: ["support-lead"] },
        token: reportToken(ctx, "acme-support-desk", user, t),
        time: t,
      });
    },
    stillBroken: (state) => {
      const claims = exampleClaims(
        state,
        "acme",
        "acme-support-desk",
        userOf(state, "acme", "olivia.martin"),
      );
      const roles = (claims?.realm_access as { roles: string[] } | undefined)?.roles ?? [];
      return !roles.includes("support-lead");
    },
  },
};

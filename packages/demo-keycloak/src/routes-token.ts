import { isTemporarilyDisabled, recordLoginFailure, recordLoginSuccess } from "./brute-force";
import { authenticateClient, clientAuthError } from "./client-auth";
import type { DemoState } from "./demo-state";
import { errorReply, formParams, json, type Reply, type Req } from "./http-io";
import { verifyJwt } from "./jwt";
import { type HttpError, httpError } from "./keycloak-errors";
import type { OidcSessions } from "./oidc-sessions";
import { verifyPkce } from "./pkce";
import {
  findClient,
  findUserByUsername,
  isOriginAllowed,
  type RealmModel,
  realmIssuer,
  serviceAccountUser,
} from "./realm-model";
import { type NewUserEvent, recordUserEvents } from "./record-events";
import { versionAtLeast } from "./server-version";
import { resolveScopes } from "./token-claims";
import { issueTokens } from "./token-issuer";

/** TokenEndpoint#checkGrantType: the event type follows the grant, before the client is authenticated. */
const GRANT_EVENT_TYPE: Record<string, string> = {
  authorization_code: "CODE_TO_TOKEN",
  refresh_token: "REFRESH_TOKEN",
  password: "LOGIN",
  client_credentials: "CLIENT_LOGIN",
};

interface GrantContext {
  state: DemoState;
  sessions: OidcSessions;
  realm: RealmModel;
  req: Req;
  form: URLSearchParams;
  grant: string;
  event: (e: Omit<NewUserEvent, "time" | "ipAddress">) => void;
}

function fail(
  ctx: GrantContext,
  err: HttpError,
  event: { clientId: string | null; userId?: string | null; error: string; details?: Record<string, string> },
): Reply {
  ctx.event({
    type: `${GRANT_EVENT_TYPE[ctx.grant]}_ERROR`,
    clientId: event.clientId,
    userId: event.userId ?? null,
    error: event.error,
    details: { grant_type: ctx.grant, ...event.details },
  });
  return errorReply(err);
}

/** POST /realms/{realm}/protocol/openid-connect/token */
export function tokenEndpoint(state: DemoState, sessions: OidcSessions, realm: RealmModel, req: Req): Reply {
  const form = formParams(req);
  const grant = form.get("grant_type");
  if (!grant) return errorReply(httpError(400, "invalid_request", "Missing form parameter: grant_type"));
  if (!(grant in GRANT_EVENT_TYPE))
    return errorReply(httpError(400, "unsupported_grant_type", "Unsupported grant_type"));
  const now = state.now();
  const ctx: GrantContext = {
    state,
    sessions,
    realm,
    req,
    form,
    grant,
    event: (e) => recordUserEvents(state, realm, [{ ...e, time: now, ipAddress: req.ip }]),
  };
  // Since 26.6.3 an Origin the client does not allow is refused before any event is written (#51831).
  const origin = req.headers.origin;
  const sentClient = findClient(realm, form.get("client_id") ?? "");
  if (
    typeof origin === "string" &&
    sentClient &&
    versionAtLeast(state.version, 26, 6, 3) &&
    !isOriginAllowed(sentClient, origin)
  ) {
    return { ...errorReply(httpError(403, "Invalid origin")), logUser: sentClient.clientId };
  }
  const auth = authenticateClient(realm, req, form);
  if (!auth.ok) {
    return {
      ...fail(ctx, clientAuthError(auth), { clientId: auth.clientId, error: auth.error }),
      logUser: auth.clientId,
    };
  }
  const client = auth.client;
  const reply = grantHandlers[grant]!(ctx, client, auth.method);
  return { ...reply, logUser: client.clientId };
}

type GrantHandler = (
  ctx: GrantContext,
  client: NonNullable<ReturnType<typeof findClient>>,
  method: "client-secret" | "none",
) => Reply;

const clientCredentials: GrantHandler = (ctx, client, method) => {
  const { realm, state, form } = ctx;
  const reason = client.publicClient
    ? "Public client not allowed to retrieve service account"
    : !client.serviceAccountsEnabled
      ? "Client not enabled to retrieve service account"
      : null;
  if (reason) {
    return fail(ctx, httpError(401, "unauthorized_client", reason), {
      clientId: client.clientId,
      error: "invalid_client",
      details: { reason },
    });
  }
  const sa = serviceAccountUser(realm, client);
  if (!sa) {
    const r = "The associated service account for the client does not exist";
    return fail(ctx, httpError(401, "invalid_request", r), {
      clientId: client.clientId,
      error: "user_not_found",
      details: { reason: r },
    });
  }
  const scope = resolveScopes(realm, client, form.get("scope"));
  if ("invalid" in scope) {
    return fail(ctx, httpError(400, "invalid_scope", `Invalid scopes: ${form.get("scope")}`), {
      clientId: client.clientId,
      userId: sa.id,
      error: "invalid_request",
      details: { reason: scope.invalid },
    });
  }
  const issued = issueTokens(state, {
    realm,
    client,
    user: sa,
    ...scope,
    sessionId: null,
    clientAddress: ctx.req.ip,
  });
  ctx.event({
    type: "CLIENT_LOGIN",
    clientId: client.clientId,
    userId: sa.id,
    details: {
      token_id: issued.accessTokenId,
      grant_type: "client_credentials",
      scope: issued.scope,
      client_auth_method: method === "none" ? "" : "client-secret",
      username: sa.username,
    },
  });
  return json(issued.response);
};

const password: GrantHandler = (ctx, client, method) => {
  const { realm, state, form, sessions, req } = ctx;
  if (!client.directAccessGrantsEnabled) {
    const reason = "Client not allowed for direct access grants";
    return fail(ctx, httpError(400, "unauthorized_client", reason), {
      clientId: client.clientId,
      error: "not_allowed",
      details: { reason },
    });
  }
  const username = form.get("username") ?? "";
  const details = { auth_method: "openid-connect", username };
  const user = findUserByUsername(realm, username);
  // 401 up to 26.5; since 26.6 every invalid_grant is 400 as RFC 6749 section 5.2 says (keycloak PR #46528,
  // issue #45812).
  const invalid = httpError(
    versionAtLeast(state.version, 26, 6) ? 400 : 401,
    "invalid_grant",
    "Invalid user credentials",
  );
  if (!user || user.serviceAccountClientId) {
    return fail(ctx, invalid, { clientId: client.clientId, error: "user_not_found", details });
  }
  const now = state.now();
  if (isTemporarilyDisabled(realm, user, now)) {
    return fail(ctx, invalid, {
      clientId: client.clientId,
      userId: user.id,
      error: "user_temporarily_disabled",
      details,
    });
  }
  if (user.password === null || form.get("password") !== user.password) {
    const res = fail(ctx, invalid, {
      clientId: client.clientId,
      userId: user.id,
      error: "invalid_user_credentials",
      details,
    });
    if (recordLoginFailure(realm, user, req.ip, now)) {
      recordUserEvents(state, realm, [
        {
          time: now,
          type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
          clientId: null,
          userId: user.id,
          ipAddress: req.ip,
          details: { reason: "brute_force_attack detected" },
        },
      ]);
    }
    return res;
  }
  const scope = resolveScopes(realm, client, form.get("scope"));
  if ("invalid" in scope) {
    return fail(ctx, httpError(400, "invalid_scope", `Invalid scopes: ${form.get("scope")}`), {
      clientId: client.clientId,
      userId: user.id,
      error: "invalid_request",
      details: { ...details, reason: scope.invalid },
    });
  }
  recordLoginSuccess(realm, user);
  const sessionId = sessions.start(state.prng.uuid(), realm.name, user.id, now);
  const issued = issueTokens(state, { realm, client, user, ...scope, sessionId });
  ctx.event({
    type: "LOGIN",
    clientId: client.clientId,
    userId: user.id,
    sessionId,
    details: {
      auth_method: "openid-connect",
      token_id: issued.accessTokenId,
      grant_type: "password",
      refresh_token_type: "Refresh",
      scope: issued.scope,
      refresh_token_id: issued.refreshTokenId ?? "",
      client_auth_method: method === "none" ? "" : "client-secret",
      username: user.username,
    },
  });
  return json(issued.response);
};

/** TokenManager#refreshAccessToken: every failure is REFRESH_TOKEN_ERROR / invalid_token with the reason. */
const refreshToken: GrantHandler = (ctx, client) => {
  const { realm, state, form, sessions } = ctx;
  const refuse = (reason: string, userId: string | null = null) =>
    fail(ctx, httpError(400, "invalid_grant", reason), {
      clientId: client.clientId,
      userId,
      error: "invalid_token",
      details: { reason },
    });
  const claims = verifyJwt(state.key, form.get("refresh_token") ?? "");
  if (claims?.typ !== "Refresh") return refuse("Invalid refresh token");
  const now = state.now();
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) return refuse("Token is not active");
  const expected = realmIssuer(realm, state.baseUrl);
  if (claims.iss !== expected)
    return refuse(`Invalid token issuer. Expected '${expected}', but was '${String(claims.iss)}'`);
  if (claims.azp !== client.clientId)
    return refuse("Invalid refresh token. Token client and authorized client don't match");
  const user = typeof claims.sub === "string" ? realm.users.get(claims.sub) : undefined;
  if (!user) return refuse("Invalid refresh token");
  if (!user.enabled) return refuse("User disabled", user.id);
  const session = sessions.sessions.get(String(claims.sid));
  if (!sessions.isActive(session, now, realm.ssoSessionIdleTimeout, realm.ssoSessionMaxLifespan)) {
    return refuse("Session not active", user.id);
  }
  session!.lastRefresh = now;
  const scope = resolveScopes(realm, client, typeof claims.scope === "string" ? claims.scope : null);
  if ("invalid" in scope) return refuse("Invalid refresh token", user.id);
  const issued = issueTokens(state, { realm, client, user, ...scope, sessionId: session!.id });
  ctx.event({
    type: "REFRESH_TOKEN",
    clientId: client.clientId,
    userId: user.id,
    sessionId: session!.id,
    details: {
      token_id: issued.accessTokenId,
      grant_type: "refresh_token",
      refresh_token_id: String(claims.jti),
      updated_refresh_token_id: issued.refreshTokenId ?? "",
      refresh_token_type: "Refresh",
      scope: issued.scope,
      refresh_token_sub: user.id,
    },
  });
  return json(issued.response);
};

/** AuthorizationCodeGrantType#process, with PKCE (S256 and plain). */
const authorizationCode: GrantHandler = (ctx, client, method) => {
  const { realm, state, form, sessions } = ctx;
  const code = sessions.codes.get(form.get("code") ?? "");
  if (code) sessions.codes.delete(form.get("code") ?? "");
  const now = state.now();
  if (!code || code.realm !== realm.name || code.expires < now) {
    return fail(ctx, httpError(400, "invalid_grant", "Code not valid"), {
      clientId: client.clientId,
      error: code ? "expired_code" : "invalid_code",
    });
  }
  if (code.clientId !== client.clientId) {
    const reason = "Auth error: Found different client_id in clientSession";
    return fail(ctx, httpError(400, "invalid_grant", "Auth error"), {
      clientId: client.clientId,
      userId: code.userId,
      error: "invalid_client",
      details: { reason },
    });
  }
  const redirectUri = form.get("redirect_uri") ?? "";
  if (redirectUri !== code.redirectUri) {
    const reason = `Parameter 'redirect_uri' did not match originally saved redirect URI used in initial OIDC request. Saved redirectUri: ${code.redirectUri}, redirectUri parameter: ${redirectUri}`;
    return fail(ctx, httpError(400, "invalid_grant", "Incorrect redirect_uri"), {
      clientId: client.clientId,
      userId: code.userId,
      error: "invalid_redirect_uri",
      details: { reason },
    });
  }
  const pkce = verifyPkce(code.codeChallenge, code.codeChallengeMethod, form.get("code_verifier"));
  if (pkce) {
    return fail(ctx, httpError(400, "invalid_grant", pkce.description), {
      clientId: client.clientId,
      userId: code.userId,
      error: pkce.error,
      details: { reason: pkce.description },
    });
  }
  const user = realm.users.get(code.userId);
  const session = sessions.sessions.get(code.sessionId);
  if (!user || !session) {
    return fail(ctx, httpError(400, "invalid_grant", "User session not found"), {
      clientId: client.clientId,
      error: "user_session_not_found",
    });
  }
  const scope = resolveScopes(realm, client, code.scope);
  if ("invalid" in scope)
    return fail(ctx, httpError(400, "invalid_scope", scope.invalid), {
      clientId: client.clientId,
      error: "invalid_request",
    });
  const issued = issueTokens(state, {
    realm,
    client,
    user,
    ...scope,
    sessionId: session.id,
    nonce: code.nonce,
  });
  ctx.event({
    type: "CODE_TO_TOKEN",
    clientId: client.clientId,
    userId: user.id,
    sessionId: session.id,
    details: {
      token_id: issued.accessTokenId,
      grant_type: "authorization_code",
      refresh_token_type: "Refresh",
      scope: issued.scope,
      refresh_token_id: issued.refreshTokenId ?? "",
      code_id: session.id,
      client_auth_method: method === "none" ? "" : "client-secret",
    },
  });
  return json(issued.response);
};

const grantHandlers: Record<string, GrantHandler> = {
  client_credentials: clientCredentials,
  password,
  refresh_token: refreshToken,
  authorization_code: authorizationCode,
};

import { verifyAccessToken } from "./admin-auth";
import { isTemporarilyDisabled, recordLoginFailure, recordLoginSuccess } from "./brute-force";
import { authenticateClient, clientAuthError } from "./client-auth";
import type { DemoState } from "./demo-state";
import {
  bearerChallenge,
  bearerToken,
  errorReply,
  formParams,
  html,
  json,
  noContent,
  type Reply,
  type Req,
  redirect,
} from "./http-io";
import { verifyJwt } from "./jwt";
import { httpError } from "./keycloak-errors";
import { errorPage, loginPage } from "./login-page";
import type { OidcSessions } from "./oidc-sessions";
import { findClient, findUserByUsername, type RealmModel, realmIssuer } from "./realm-model";
import { type NewUserEvent, recordUserEvents } from "./record-events";
import { clientAllowsRedirect } from "./redirect-uris";
import { resolveScopes } from "./token-claims";

function event(
  state: DemoState,
  realm: RealmModel,
  req: Req,
  e: Omit<NewUserEvent, "time" | "ipAddress">,
): void {
  recordUserEvents(state, realm, [{ ...e, time: state.now(), ipAddress: req.ip }]);
}

export function wellKnown(state: DemoState, realm: RealmModel): Reply {
  const issuer = realmIssuer(realm, state.baseUrl);
  const oidc = `${issuer}/protocol/openid-connect`;
  return json({
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
    grant_types_supported: ["authorization_code", "client_credentials", "password", "refresh_token"],
    response_types_supported: ["code"],
    subject_types_supported: ["public", "pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["plain", "S256"],
    scopes_supported: ["openid", ...[...realm.clientScopes.values()].map((s) => s.name)],
    claims_supported: [
      "aud",
      "sub",
      "iss",
      "auth_time",
      "name",
      "given_name",
      "family_name",
      "preferred_username",
      "email",
      "acr",
    ],
  });
}

export function certs(state: DemoState): Reply {
  return json({ keys: [state.key.jwk] });
}

/** GET /protocol/openid-connect/auth: checks client and redirect_uri, then shows the login form. */
export function authorize(state: DemoState, sessions: OidcSessions, realm: RealmModel, req: Req): Reply {
  const q = req.query;
  const client = findClient(realm, q.get("client_id") ?? "");
  if (!client?.enabled) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: q.get("client_id"),
      userId: null,
      error: "client_not_found",
    });
    return html(errorPage("Client not found."), 400);
  }
  const redirectUri = q.get("redirect_uri") ?? "";
  if (!clientAllowsRedirect(state, client, redirectUri)) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: client.clientId,
      userId: null,
      error: "invalid_redirect_uri",
      details: { redirect_uri: redirectUri },
    });
    return html(errorPage("Invalid parameter: redirect_uri"), 400);
  }
  const back = new URL(redirectUri);
  const fail = (error: string, description: string) => {
    back.searchParams.set("error", error);
    back.searchParams.set("error_description", description);
    if (q.get("state")) back.searchParams.set("state", q.get("state")!);
    return redirect(back.toString());
  };
  if (q.get("response_type") !== "code")
    return fail(
      "unsupported_response_type",
      "Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.",
    );
  const scope = resolveScopes(realm, client, q.get("scope"));
  if ("invalid" in scope) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: client.clientId,
      userId: null,
      error: "invalid_request",
      details: { reason: scope.invalid },
    });
    return fail("invalid_scope", `Invalid scopes: ${q.get("scope")}`);
  }
  const authSession = state.prng.uuid();
  sessions.authSessions.set(authSession, {
    realm: realm.name,
    params: Object.fromEntries(q),
    expires: state.now() + 1_800_000,
  });
  return html(
    loginPage({
      realm: realm.displayName || realm.name,
      clientName: client.name,
      action: loginAction(state, realm),
      authSession,
    }),
  );
}

const loginAction = (state: DemoState, realm: RealmModel) =>
  `${state.baseUrl}/realms/${encodeURIComponent(realm.name)}/login-actions/authenticate`;

/** POST /login-actions/authenticate: the form's credentials; success redirects back with a code. */
export function authenticate(state: DemoState, sessions: OidcSessions, realm: RealmModel, req: Req): Reply {
  const form = formParams(req);
  const auth = sessions.authSessions.get(form.get("auth_session") ?? "");
  const now = state.now();
  if (!auth || auth.realm !== realm.name || auth.expires < now) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: null,
      userId: null,
      error: "cookie_not_found",
    });
    return html(errorPage("Cookie not found. Please make sure cookies are enabled in your browser."), 400);
  }
  const p = auth.params;
  const client = findClient(realm, p.client_id ?? "")!;
  const username = (form.get("username") ?? "").trim();
  const user = findUserByUsername(realm, username);
  const details = {
    auth_method: "openid-connect",
    auth_type: "code",
    redirect_uri: p.redirect_uri ?? "",
    code_id: form.get("auth_session") ?? "",
    username,
  };
  const again = (message: string) =>
    html(
      loginPage({
        realm: realm.displayName || realm.name,
        clientName: client.name,
        action: loginAction(state, realm),
        authSession: form.get("auth_session") ?? "",
        username,
        error: message,
      }),
    );
  if (!user || user.serviceAccountClientId) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: client.clientId,
      userId: null,
      error: "user_not_found",
      details,
    });
    return again("Invalid username or password.");
  }
  if (isTemporarilyDisabled(realm, user, now)) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: client.clientId,
      userId: user.id,
      error: "user_temporarily_disabled",
      details,
    });
    return again("Invalid username or password.");
  }
  if (user.password === null || form.get("password") !== user.password) {
    event(state, realm, req, {
      type: "LOGIN_ERROR",
      clientId: client.clientId,
      userId: user.id,
      error: "invalid_user_credentials",
      details,
    });
    if (recordLoginFailure(realm, user, req.ip, now)) {
      event(state, realm, req, {
        type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
        clientId: null,
        userId: user.id,
        details: { reason: "brute_force_attack detected" },
      });
    }
    return again("Invalid username or password.");
  }
  recordLoginSuccess(realm, user);
  sessions.authSessions.delete(form.get("auth_session") ?? "");
  const sessionId = sessions.start(state.prng.uuid(), realm.name, user.id, now);
  const code = `${state.prng.uuid()}.${sessionId}.${state.prng.uuid()}`;
  sessions.codes.set(code, {
    realm: realm.name,
    clientId: client.clientId,
    redirectUri: p.redirect_uri ?? "",
    userId: user.id,
    sessionId,
    scope: p.scope ?? null,
    nonce: p.nonce ?? null,
    codeChallenge: p.code_challenge ?? null,
    codeChallengeMethod: p.code_challenge_method ?? null,
    expires: now + 60_000,
  });
  event(state, realm, req, {
    type: "LOGIN",
    clientId: client.clientId,
    userId: user.id,
    sessionId,
    details: { ...details, consent: "no_consent_required" },
  });
  const back = new URL(p.redirect_uri ?? "");
  if (p.state) back.searchParams.set("state", p.state);
  back.searchParams.set("session_state", sessionId);
  back.searchParams.set("iss", realmIssuer(realm, state.baseUrl));
  back.searchParams.set("code", code);
  return redirect(back.toString());
}

/**
 * UserInfoEndpoint#issueUserInfo (26.x). Every refusal is an OAuth2Error with `json(false)`: an empty
 * text/plain body and the error only in `WWW-Authenticate`. A request without a token gets the bare
 * `Bearer realm="R"` challenge; a token that fails verification `invalid_token` "Token verification failed"
 * whatever the reason (the reason goes to the event only); the openid check runs right after verification,
 * before the client is known, so its event has no clientId or userId and the answer is 403 insufficient_scope.
 */
export function userinfo(state: DemoState, realm: RealmModel, req: Req): Reply {
  const token = bearerToken(req) ?? (req.method === "POST" ? formParams(req).get("access_token") : null);
  const base = { type: "USER_INFO_REQUEST_ERROR", clientId: null, userId: null };
  const refuse = (
    error: string,
    reason: string,
    description = "Token verification failed",
    who: { clientId: string | null; userId: string | null } = base,
  ) => {
    event(state, realm, req, {
      ...base,
      ...who,
      error,
      details: { auth_method: "validate_access_token", reason },
    });
    return bearerChallenge(realm.name, 401, { error: "invalid_token", description });
  };
  if (!token) {
    event(state, realm, req, {
      ...base,
      error: "invalid_token",
      details: { auth_method: "validate_access_token", reason: "Missing token" },
    });
    return bearerChallenge(realm.name, 401);
  }
  const claims = verifyJwt(state.key, token);
  if (!claims) return refuse("invalid_token", "Invalid token signature");
  const expected = realmIssuer(realm, state.baseUrl);
  if (claims.iss !== expected)
    return refuse(
      "invalid_token",
      `Invalid token issuer. Expected '${expected}', but was '${String(claims.iss)}'`,
    );
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= state.now())
    return refuse("invalid_token", "Token is not active");
  const scopes = String(claims.scope ?? "").split(" ");
  if (!scopes.includes("openid")) {
    const desc = "Missing openid scope";
    event(state, realm, req, {
      ...base,
      error: "access_denied",
      details: { auth_method: "validate_access_token", reason: desc },
    });
    return bearerChallenge(realm.name, 403, { error: "insufficient_scope", description: desc });
  }
  const client = findClient(realm, String(claims.azp ?? ""));
  if (!client) return refuse("client_not_found", "Client not found", "Client not found");
  const clientId = client.clientId;
  if (!client.enabled)
    return refuse("client_disabled", "Client disabled", "Client disabled", { clientId, userId: null });
  const caller = verifyAccessToken(state, token);
  if (!caller)
    return refuse("user_session_not_found", "User session not found", "user_session_not_found", {
      clientId,
      userId: null,
    });
  const u = caller.user;
  event(state, realm, req, {
    type: "USER_INFO_REQUEST",
    clientId,
    userId: u.id,
    sessionId: typeof claims.sid === "string" ? claims.sid : null,
    details: { auth_method: "validate_access_token", signature_required: "false" },
  });
  return json({
    sub: u.id,
    email_verified: u.emailVerified,
    ...(u.firstName || u.lastName ? { name: [u.firstName, u.lastName].filter(Boolean).join(" ") } : {}),
    preferred_username: u.username,
    ...(u.firstName ? { given_name: u.firstName } : {}),
    ...(u.lastName ? { family_name: u.lastName } : {}),
    ...(u.email ? { email: u.email } : {}),
  });
}

/** GET (browser, id_token_hint) or POST (refresh_token with client authentication) logout. */
export function logout(state: DemoState, sessions: OidcSessions, realm: RealmModel, req: Req): Reply {
  if (req.method === "POST") {
    const form = formParams(req);
    if (form.get("refresh_token")) {
      const auth = authenticateClient(realm, req, form);
      if (!auth.ok) return errorReply(clientAuthError(auth));
      const claims = verifyJwt(state.key, form.get("refresh_token") ?? "");
      const session = claims ? sessions.sessions.get(String(claims.sid)) : undefined;
      if (!session) return errorReply(httpError(400, "invalid_grant", "Invalid refresh token"));
      sessions.sessions.delete(session.id);
      event(state, realm, req, {
        type: "LOGOUT",
        clientId: auth.client.clientId,
        userId: session.userId,
        sessionId: session.id,
        details: {},
      });
      return noContent();
    }
  }
  const q = req.method === "POST" ? formParams(req) : req.query;
  const hint = q.get("id_token_hint");
  const claims = hint ? verifyJwt(state.key, hint) : null;
  const session = claims ? sessions.sessions.get(String(claims.sid)) : undefined;
  if (session) {
    sessions.sessions.delete(session.id);
    event(state, realm, req, {
      type: "LOGOUT",
      clientId: String(claims?.azp ?? ""),
      userId: session.userId,
      sessionId: session.id,
      details: { redirect_uri: q.get("post_logout_redirect_uri") ?? "" },
    });
  }
  const target = q.get("post_logout_redirect_uri");
  const client = findClient(realm, String(claims?.azp ?? ""));
  if (target && client && clientAllowsRedirect(state, client, target)) {
    const u = new URL(target);
    if (q.get("state")) u.searchParams.set("state", q.get("state")!);
    return redirect(u.toString());
  }
  return html("<!doctype html><title>Logged out</title><p>You are logged out.</p>");
}

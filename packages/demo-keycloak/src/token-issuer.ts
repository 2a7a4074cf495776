import type { DemoState } from "./demo-state";
import { signJwt } from "./jwt";
import type { ClientModel, ClientScopeModel, RealmModel, UserModel } from "./realm-model";
import { realmIssuer } from "./realm-model";
import { accessTokenClaims } from "./token-claims";

export interface IssuedTokens {
  response: Record<string, unknown>;
  accessTokenId: string;
  refreshTokenId: string | null;
  scope: string;
}

export interface MintInput {
  realm: RealmModel;
  client: ClientModel;
  user: UserModel;
  scopes: ClientScopeModel[];
  openid: boolean;
  sessionId: string | null;
  nonce?: string | null;
  clientAddress?: string;
  /** Epoch ms of issue; defaults to now (the traffic mints tokens at past times). */
  at?: number;
  /** Override the issuer (a token minted under an old hostname). */
  issuer?: string;
}

/** Signs an access token and registers its id, so `expireTokensNow()` can revoke it. */
export function mintAccessToken(
  state: DemoState,
  input: MintInput,
): { token: string; jti: string; claims: Record<string, unknown> } {
  const jti = state.prng.uuid();
  const claims = accessTokenClaims({
    realm: input.realm,
    client: input.client,
    user: input.user,
    scopes: input.scopes,
    openid: input.openid,
    issuer: input.issuer ?? realmIssuer(input.realm, state.baseUrl),
    nowMs: input.at ?? state.now(),
    jti,
    sessionId: input.sessionId,
    clientAddress: input.clientAddress,
  });
  state.tokens.issue(jti);
  return { token: signJwt(state.key, claims, "JWT"), jti, claims };
}

/** The token endpoint's answer: access token, and for user sessions a refresh token and (with openid) an ID token. */
export function issueTokens(state: DemoState, input: MintInput): IssuedTokens {
  const { realm, client, user } = input;
  const access = mintAccessToken(state, input);
  const iat = Math.floor((input.at ?? state.now()) / 1000);
  const issuer = input.issuer ?? realmIssuer(realm, state.baseUrl);
  const scope = String(access.claims.scope ?? "");
  const response: Record<string, unknown> = {
    access_token: access.token,
    expires_in: realm.accessTokenLifespan,
  };
  let refreshTokenId: string | null = null;
  if (input.sessionId) {
    refreshTokenId = state.prng.uuid();
    const refresh = {
      exp: iat + realm.ssoSessionIdleTimeout,
      iat,
      jti: refreshTokenId,
      iss: issuer,
      aud: issuer,
      sub: user.id,
      typ: "Refresh",
      azp: client.clientId,
      sid: input.sessionId,
      scope,
    };
    response.refresh_expires_in = realm.ssoSessionIdleTimeout;
    response.refresh_token = signJwt(state.key, refresh, "JWT");
  } else {
    response.refresh_expires_in = 0;
  }
  response.token_type = "Bearer";
  if (input.openid && input.sessionId) {
    const idToken: Record<string, unknown> = {
      exp: iat + realm.accessTokenLifespan,
      iat,
      auth_time: iat,
      jti: state.prng.uuid(),
      iss: issuer,
      aud: client.clientId,
      sub: user.id,
      typ: "ID",
      azp: client.clientId,
      ...(input.nonce ? { nonce: input.nonce } : {}),
      sid: input.sessionId,
      acr: "1",
      email_verified: user.emailVerified,
      preferred_username: user.username,
      ...(user.email ? { email: user.email } : {}),
    };
    response.id_token = signJwt(state.key, idToken, "JWT");
  }
  response["not-before-policy"] = 0;
  if (input.sessionId) response.session_state = input.sessionId;
  response.scope = scope;
  return { response, accessTokenId: access.jti, refreshTokenId, scope };
}

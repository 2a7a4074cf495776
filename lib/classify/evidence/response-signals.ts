import type { HttpExchange } from "@/lib/logs/evidence/http-evidence";

/**
 * The event Keycloak records together with an HTTP answer, when the answer names it unambiguously. Keycloak
 * writes the OAuth error of the answer and the event's error separately (a wrong secret answers
 * `unauthorized_client` and records `invalid_client_credentials`), so each row states the pair as the source
 * class writes it. `types` is the event type, or the types the request's grant may give.
 */
export interface ResponseSignal {
  types: readonly string[];
  error: string;
  /** The reason detail the event carries; null when it has none, undefined when the answer does not tell. */
  reason?: string | null;
  details?: Record<string, string>;
  /** The type is a guess (the grant is not shown): the verdict must say so. */
  assumed?: boolean;
}

export const GRANT_EVENT_TYPES: Readonly<Record<string, string>> = {
  authorization_code: "CODE_TO_TOKEN_ERROR",
  refresh_token: "REFRESH_TOKEN_ERROR",
  password: "LOGIN_ERROR",
  client_credentials: "CLIENT_LOGIN_ERROR",
  "urn:ietf:params:oauth:grant-type:token-exchange": "TOKEN_EXCHANGE_ERROR",
  "urn:ietf:params:oauth:grant-type:uma-ticket": "PERMISSION_TOKEN_ERROR",
};

/** The token endpoint's event types, for an answer whose grant is not shown. */
export const TOKEN_ENDPOINT_TYPES = [
  "CLIENT_LOGIN_ERROR",
  "CODE_TO_TOKEN_ERROR",
  "REFRESH_TOKEN_ERROR",
  "LOGIN_ERROR",
  "TOKEN_EXCHANGE_ERROR",
  "PERMISSION_TOKEN_ERROR",
] as const;

const REGISTRATION_TYPE_BY_METHOD: Readonly<Record<string, string>> = {
  POST: "CLIENT_REGISTER_ERROR",
  PUT: "CLIENT_UPDATE_ERROR",
  GET: "CLIENT_INFO_ERROR",
  DELETE: "CLIENT_DELETE_ERROR",
};

// RefreshTokenGrantType records the OAuthErrorException's description as the reason (TokenManager's texts).
const REFRESH_REASONS =
  /^(?:Token is not active|Stale token|Session not active|Offline session not active|Offline user session not found|Client session not active|Session doesn't have required client|Invalid refresh token.*|Unmatching clients|Maximum allowed refresh token reuse exceeded|Refresh token issued before the user session started|refresh token issued before the client session started|Invalid token issuer\..*)$/s;
const POLICY = /^Policy '(.{1,255}?)' rejected request to client-registration service\./s;

function grantTypes(x: HttpExchange, fallback: readonly string[]): readonly string[] {
  const type = x.grantType === null ? undefined : GRANT_EVENT_TYPES[x.grantType];
  return type === undefined ? fallback : [type];
}

function isPath(x: HttpExchange, pattern: RegExp): boolean {
  return x.path !== null && pattern.test(x.path);
}

const USERINFO = /\/protocol\/openid-connect\/userinfo$/;

/** The event behind an HTTP answer, or null when the answer alone does not name one. */
export function responseSignal(x: HttpExchange): ResponseSignal | null {
  const description = x.errorDescription;
  if (description !== null) {
    // ClientRegistrationPolicyManager#triggerPolicies (detail) and the provider's 403 insufficient_scope answer.
    const policy = POLICY.exec(description);
    if (policy?.[1] !== undefined) {
      const type = REGISTRATION_TYPE_BY_METHOD[x.method ?? ""];
      return {
        types: type === undefined ? ["CLIENT_REGISTER_ERROR"] : [type],
        error: "not_allowed",
        details: { client_registration_policy: policy[1] },
      };
    }
    switch (description) {
      // UserInfoEndpoint#issueUserInfo: 403 insufficient_scope in WWW-Authenticate.
      case "Missing openid scope":
        return { types: ["USER_INFO_REQUEST_ERROR"], error: "access_denied", reason: description };
      // AuthorizationCodeGrantType#process: invalid_grant answers for invalid_code, expired_code, redirect.
      case "Code not valid":
        return { types: ["CODE_TO_TOKEN_ERROR"], error: "invalid_code", reason: null };
      case "Code is expired":
        return { types: ["CODE_TO_TOKEN_ERROR"], error: "expired_code", reason: null };
      case "Incorrect redirect_uri":
        return { types: ["CODE_TO_TOKEN_ERROR"], error: "invalid_redirect_uri" };
      // ClientIdAndSecretAuthenticator via AuthenticationProcessor: 401 unauthorized_client.
      case "Invalid client or Invalid client credentials":
        return {
          types: grantTypes(x, TOKEN_ENDPOINT_TYPES),
          error: "invalid_client_credentials",
          reason: null,
        };
      // ClientCredentialsGrantType: 401 unauthorized_client with the same text as the reason.
      case "Client not enabled to retrieve service account":
        return { types: ["CLIENT_LOGIN_ERROR"], error: "invalid_client", reason: description };
      // ResourceOwnerPasswordCredentialsGrantType.
      case "Client not allowed for direct access grants":
        return { types: ["LOGIN_ERROR"], error: "not_allowed", reason: description };
      case "Invalid user credentials":
        return { types: ["LOGIN_ERROR"], error: "invalid_user_credentials" };
      // V1/StandardTokenExchangeProvider: the subject token failed verifyIdentityToken.
      case "Invalid token":
        if (x.grantType === null || GRANT_EVENT_TYPES[x.grantType] === "TOKEN_EXCHANGE_ERROR") {
          return {
            types: ["TOKEN_EXCHANGE_ERROR"],
            error: "invalid_token",
            reason: "subject_token validation failure",
          };
        }
        break;
      // V1TokenExchangeProvider: 403 access_denied when the exchange permission is missing.
      case "Client not allowed to exchange":
        return {
          types: ["TOKEN_EXCHANGE_ERROR"],
          error: "not_allowed",
          reason: "client not allowed to exchange to audience",
        };
      case "Audience not found":
        return { types: ["TOKEN_EXCHANGE_ERROR"], error: "client_not_found", reason: "audience not found" };
    }
    // OAuth2GrantTypeBase#getRequestedScopes and AuthorizationEndpointChecker: invalid_scope answers.
    if (description.startsWith("Invalid scopes: ")) {
      return { types: grantTypes(x, ["LOGIN_ERROR"]), error: "invalid_request", reason: description };
    }
    // RefreshTokenGrantType: invalid_grant with TokenManager's text, recorded as invalid_token + reason.
    if (
      x.error === "invalid_grant" &&
      (x.grantType === "refresh_token" || (x.grantType === null && REFRESH_REASONS.test(description)))
    ) {
      return { types: ["REFRESH_TOKEN_ERROR"], error: "invalid_token", reason: description };
    }
    // Any other invalid_grant with its grant unseen: refresh is the grant whose texts are the most varied.
    if (x.error === "invalid_grant" && x.grantType === null) {
      return { types: ["REFRESH_TOKEN_ERROR"], error: "invalid_token", reason: description, assumed: true };
    }
  }
  // UserInfoEndpoint: any token verification failure answers 401 "Token verification failed"; the reason
  // (expired, issuer, stale) is only in the event, or in the token itself.
  if (x.error === "invalid_token" && (isPath(x, USERINFO) || description === "Token verification failed")) {
    return { types: ["USER_INFO_REQUEST_ERROR"], error: "invalid_token" };
  }
  return null;
}

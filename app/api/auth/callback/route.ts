import { NextResponse } from "next/server";
import * as client from "openid-client";
import { getAuthConfig } from "@/lib/auth/config";
import { getOidcClient } from "@/lib/auth/oidc-client";
import { publicOrigin } from "@/lib/auth/public-origin";
import { rolesFromClaims } from "@/lib/auth/roles-from-claims";
import { route } from "@/lib/auth/route";
import { SESSION_COOKIE, sealSession, sessionCookieOptions } from "@/lib/auth/session";
import { openSignInState, SIGN_IN_COOKIE, safeReturnTo } from "@/lib/auth/sign-in-state";
import { decodeJwtPayload } from "@/lib/keycloak/jwt";
import { cookieIn } from "@/lib/server/cookies";
import { logger } from "@/lib/server/logger";

export const dynamic = "force-dynamic";

/** The issuer redirects here with a code: exchange it (PKCE, state checked), keep only the role in a session. */
export const GET = route({}, async ({ request }) => {
  const config = getAuthConfig();
  if (config.mode !== "oidc") return NextResponse.redirect(new URL("/", publicOrigin(config, request)), 303);
  const origin = publicOrigin(config, request);
  const nowSec = Math.floor(Date.now() / 1000);
  const pending = openSignInState(cookieIn(request.headers, SIGN_IN_COOKIE), nowSec);
  const fail = (reason: string) => {
    const to = new URL("/signin", origin);
    to.searchParams.set("error", reason);
    const response = NextResponse.redirect(to, 303);
    response.cookies.delete({ name: SIGN_IN_COOKIE, path: "/api/auth" });
    return response;
  };
  if (!pending) return fail("expired");
  try {
    const oidc = await getOidcClient(config);
    const url = new URL(request.url);
    const current = new URL(url.pathname + url.search, origin);
    const tokens = await client.authorizationCodeGrant(oidc, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    const idClaims = (tokens.claims() ?? {}) as Record<string, unknown>;
    // Keycloak puts realm_access in the access token and only optionally in the ID token. The access token came
    // straight from the token endpoint over the back channel, so reading its payload is safe here.
    const accessClaims = decodeJwtPayload(tokens.access_token) ?? {};
    const role = rolesFromClaims(idClaims, config.clientId) ?? rolesFromClaims(accessClaims, config.clientId);
    if (!role) return fail("no_role");
    const name = String(idClaims.preferred_username ?? idClaims.sub ?? "unknown").slice(0, 256);
    const response = NextResponse.redirect(new URL(safeReturnTo(pending.returnTo), origin), 303);
    response.cookies.delete({ name: SIGN_IN_COOKIE, path: "/api/auth" });
    response.cookies.set(
      SESSION_COOKIE,
      sealSession({ role, name, exp: nowSec + config.sessionSec }),
      sessionCookieOptions(origin.protocol === "https:", config.sessionSec),
    );
    logger.info("sign-in", { user: name, role });
    return response;
  } catch (err) {
    logger.warn("sign-in failed", { error: err instanceof Error ? err.message : String(err) });
    return fail("failed");
  }
});

import { NextResponse } from "next/server";
import * as client from "openid-client";
import { z } from "zod";
import { getAuthConfig } from "@/lib/auth/config";
import { getOidcClient } from "@/lib/auth/oidc-client";
import { publicOrigin } from "@/lib/auth/public-origin";
import { route } from "@/lib/auth/route";
import { SIGN_IN_COOKIE, SIGN_IN_TTL_SEC, safeReturnTo, sealSignInState } from "@/lib/auth/sign-in-state";
import { one } from "@/lib/server/query-params";

export const dynamic = "force-dynamic";

const query = z.object({ returnTo: one(z.string().optional()) });

/** Starts the authorization code flow with PKCE: redirects to the issuer's login page. */
export const GET = route({ query }, async ({ query, request }) => {
  const config = getAuthConfig();
  if (config.mode !== "oidc") return NextResponse.redirect(new URL("/", publicOrigin(config, request)), 303);
  const oidc = await getOidcClient(config);
  const origin = publicOrigin(config, request);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  // The ID token must carry it back (OpenID Connect Core 3.1.2.1): a token minted for another login is refused.
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(oidc, {
    redirect_uri: new URL("/api/auth/callback", origin).href,
    scope: "openid profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const response = NextResponse.redirect(url, 303);
  response.cookies.set(
    SIGN_IN_COOKIE,
    sealSignInState({
      verifier,
      state,
      nonce,
      returnTo: safeReturnTo(query.returnTo),
      exp: Math.floor(Date.now() / 1000) + SIGN_IN_TTL_SEC,
    }),
    {
      httpOnly: true,
      secure: origin.protocol === "https:",
      sameSite: "lax",
      path: "/api/auth",
      maxAge: SIGN_IN_TTL_SEC,
    },
  );
  return response;
});

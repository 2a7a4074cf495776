import { NextResponse } from "next/server";
import { getAuthConfig } from "@/lib/auth/config";
import { publicOrigin } from "@/lib/auth/public-origin";
import { revokeSession } from "@/lib/auth/revoked-sessions";
import { route } from "@/lib/auth/route";
import { openSession, SESSION_COOKIE } from "@/lib/auth/session";
import { getSql } from "@/lib/db/sql";
import { cookieIn } from "@/lib/server/cookies";

export const dynamic = "force-dynamic";

/**
 * Signs out of realmwatch (the Keycloak session is left alone). POST only, so a link cannot sign anyone out.
 * The session is revoked on the server too, so a copy of the cookie stops working now, not at its expiry.
 */
export const POST = route({}, async ({ request }) => {
  const session = openSession(cookieIn(request.headers, SESSION_COOKIE), Math.floor(Date.now() / 1000));
  if (session) await revokeSession(getSql(), session.sid, session.exp);
  const response = NextResponse.redirect(new URL("/signin", publicOrigin(getAuthConfig(), request)), 303);
  response.cookies.delete({ name: SESSION_COOKIE, path: "/" });
  return response;
});

import { NextResponse } from "next/server";
import { getAuthConfig } from "@/lib/auth/config";
import { publicOrigin } from "@/lib/auth/public-origin";
import { route } from "@/lib/auth/route";
import { SESSION_COOKIE } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** Signs out of realmwatch (the Keycloak session is left alone). POST only, so a link cannot sign anyone out. */
export const POST = route({}, async ({ request }) => {
  const response = NextResponse.redirect(new URL("/signin", publicOrigin(getAuthConfig(), request)), 303);
  response.cookies.delete({ name: SESSION_COOKIE, path: "/" });
  return response;
});

import "server-only";
import { cookies } from "next/headers";
import { getAuthConfig } from "@/lib/auth/config";
import { revokedSessionIds } from "@/lib/auth/revoked-sessions";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { SIGNED_OUT_VIEWER, type Viewer, viewerFromCookie } from "@/lib/auth/viewer";

/**
 * The viewer of the current request for pages and layouts (route handlers get theirs from route()), or null
 * when not signed in.
 */
export async function getViewer(): Promise<Viewer | null> {
  const jar = await cookies();
  const config = getAuthConfig();
  const now = Date.now();
  const revoked = config.mode === "oidc" ? await revokedSessionIds(now) : undefined;
  return viewerFromCookie(config, jar.get(SESSION_COOKIE)?.value, Math.floor(now / 1000), revoked);
}

/**
 * The viewer a page loads its data for, read once by the page and passed to its screen loader. The request
 * guard lets only signed-in viewers reach a page, so a missing session here gets the lowest role.
 */
export async function getPageViewer(): Promise<Viewer> {
  return (await getViewer()) ?? SIGNED_OUT_VIEWER;
}

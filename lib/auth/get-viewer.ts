import "server-only";
import { cookies } from "next/headers";
import { getAuthConfig } from "@/lib/auth/config";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { type Viewer, viewerFromCookie } from "@/lib/auth/viewer";

/**
 * The viewer of the current request for pages and layouts (route handlers get theirs from route()), or null
 * when not signed in.
 */
export async function getViewer(): Promise<Viewer | null> {
  const jar = await cookies();
  return viewerFromCookie(getAuthConfig(), jar.get(SESSION_COOKIE)?.value, Math.floor(Date.now() / 1000));
}

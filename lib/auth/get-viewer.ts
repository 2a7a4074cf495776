import "server-only";
import { cookies } from "next/headers";
import { getAuthConfig } from "@/lib/auth/config";
import { type Role, roleAtLeast } from "@/lib/auth/roles";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { type Viewer, viewerFromCookie } from "@/lib/auth/viewer";
import { AppError } from "@/lib/server/errors";

/** The viewer of the current request (server components and route handlers), or null when not signed in. */
export async function getViewer(): Promise<Viewer | null> {
  const jar = await cookies();
  return viewerFromCookie(getAuthConfig(), jar.get(SESSION_COOKIE)?.value, Math.floor(Date.now() / 1000));
}

/** The route guard: the viewer when signed in with at least `role`; else a 401 or 403 AppError. */
export async function getViewerOrThrow(role: Role): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("unauthorized", "Sign in to use realmwatch: open /signin.");
  if (!roleAtLeast(viewer.role, role)) {
    throw new AppError("forbidden", `This needs the ${role} role; you are signed in as ${viewer.role}.`, {
      needed: role,
      role: viewer.role,
    });
  }
  return viewer;
}

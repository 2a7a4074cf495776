import { getAuthConfig } from "@/lib/auth/config";
import { accessRefusal, routeAccessFor } from "@/lib/auth/route-access";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { SIGNED_OUT_VIEWER, type Viewer, viewerFromCookie } from "@/lib/auth/viewer";
import { cookieIn } from "@/lib/server/cookies";
import { AppError } from "@/lib/server/errors";
import { routeWith } from "@/lib/server/route";

/**
 * route() for every API handler (lib/server/route.ts has the shape): the handler gets the request's viewer from
 * its session cookie, checked against the route-access table, the same check the request guard made before. A
 * public route reached without a session gets SIGNED_OUT_VIEWER.
 */
export const route = routeWith(requestViewer);

export function requestViewer(request: Request, nowMs = Date.now()): Viewer {
  const viewer = viewerFromCookie(
    getAuthConfig(),
    cookieIn(request.headers, SESSION_COOKIE),
    Math.floor(nowMs / 1000),
  );
  const refusal = accessRefusal(viewer, routeAccessFor(new URL(request.url).pathname, request.method));
  if (refusal) throw new AppError(refusal.code, refusal.message);
  return viewer ?? SIGNED_OUT_VIEWER;
}

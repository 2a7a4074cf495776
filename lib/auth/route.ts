import { getAuthConfig } from "@/lib/auth/config";
import { auditChange } from "@/lib/auth/record-audit";
import { revokedSessionIds } from "@/lib/auth/revoked-sessions";
import { accessRefusal, routeAccessFor } from "@/lib/auth/route-access";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { SIGNED_OUT_VIEWER, type Viewer, viewerFromCookie } from "@/lib/auth/viewer";
import { forViewer } from "@/lib/auth/viewer-boundary";
import { getSql } from "@/lib/db/sql";
import { cookieIn } from "@/lib/server/cookies";
import { AppError } from "@/lib/server/errors";
import { routeWith } from "@/lib/server/route";

/**
 * route() for every API handler (lib/server/route.ts has the shape): the handler gets the request's viewer from
 * its session cookie, checked against the route-access table, the same check the request guard made before. A
 * public route reached without a session gets SIGNED_OUT_VIEWER. What a handler returns reaches a viewer only
 * through the viewer boundary (lib/auth/viewer-boundary.ts), and every change it answers is audited
 * (lib/auth/record-audit.ts auditChange).
 */
export const route = routeWith(requestViewer, {
  present: (data, viewer) => forViewer(data, viewer.role, getSql),
  answered: async (request, viewer, response) => {
    await auditChange(getSql, request, viewer, response);
  },
});

export async function requestViewer(request: Request, nowMs = Date.now()): Promise<Viewer> {
  const config = getAuthConfig();
  const viewer = viewerFromCookie(
    config,
    cookieIn(request.headers, SESSION_COOKIE),
    Math.floor(nowMs / 1000),
    config.mode === "oidc" ? await revokedSessionIds(nowMs) : undefined,
  );
  const refusal = accessRefusal(viewer, routeAccessFor(new URL(request.url).pathname, request.method));
  if (refusal) throw new AppError(refusal.code, refusal.message);
  return viewer ?? SIGNED_OUT_VIEWER;
}

import { bearerToken, type ReporterConfig, type Requirement, sendDenialReport } from "./client";

/**
 * Next.js route handlers: wrap a handler so its 401 and 403 answers are reported.
 *
 *   export const GET = withDenialReports(config, { clientRoles: [{ clientId: "orders-api", roles: ["reader"] }] },
 *     async (req) => { ... return new Response("forbidden", { status: 403 }); });
 */
export function withDenialReports<C>(
  config: ReporterConfig,
  required: Requirement,
  handler: (req: Request, ctx: C) => Promise<Response> | Response,
  realm?: string,
) {
  return async (req: Request, ctx: C): Promise<Response> => {
    const res = await handler(req, ctx);
    if (res.status === 401 || res.status === 403) {
      // Reported in the background: the caller's answer never waits for realmwatch.
      void sendDenialReport(config, {
        realm,
        method: req.method,
        path: new URL(req.url).pathname,
        status: res.status,
        required,
        token: bearerToken(req.headers.get("authorization")),
      });
    }
    return res;
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { bearerToken, type ReporterConfig, type Requirement, sendDenialReport } from "./client";

/**
 * Express middleware: reports every 401 and 403 the API answers. Handlers say what they required by setting
 * `res.locals.realmwatchRequired` (e.g. `{ clientRoles: [{ clientId: "orders-api", roles: ["reader"] }] }`).
 *
 *   app.use(reportDenials({ url: process.env.REALMWATCH_URL, sourceId: "...", key: process.env.REALMWATCH_REPORT_KEY }, "acme"));
 */
type Req = IncomingMessage & { originalUrl?: string };
type Res = ServerResponse & { locals?: { realmwatchRequired?: Requirement } };

export function reportDenials(config: ReporterConfig, realm?: string) {
  return (req: Req, res: Res, next: () => void) => {
    res.on("finish", () => {
      if (res.statusCode !== 401 && res.statusCode !== 403) return;
      void sendDenialReport(config, {
        realm,
        method: req.method ?? "GET",
        path: (req.originalUrl ?? req.url ?? "/").split("?")[0] ?? "/",
        status: res.statusCode,
        required: res.locals?.realmwatchRequired,
        token: bearerToken(req.headers.authorization),
      });
    });
    next();
  };
}

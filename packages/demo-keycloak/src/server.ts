import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { formatAccessLogLine } from "./access-log";
import { type AdminHandler, authenticateAdmin, resolveRealm } from "./admin-auth";
import type { DemoIncident } from "./demo-incidents";
import type { DemoState } from "./demo-state";
import type { DemoFaults } from "./faults";
import { errorReply, type Reply, type Req } from "./http-io";
import { isHttpError, NOT_FOUND, REALM_NOT_FOUND, UNCAUGHT_SERVER_ERROR } from "./keycloak-errors";
import { OidcSessions } from "./oidc-sessions";
import type { RealmModel } from "./realm-model";
import { getRealm, listRealms, putRealm, serverInfo } from "./routes-admin-realm";
import { CONFIG_ROUTES } from "./routes-config";
import { controlRoute } from "./routes-control";
import { EVENT_ROUTES } from "./routes-events";
import { authenticate, authorize, certs, logout, userinfo, wellKnown } from "./routes-oidc";
import { tokenEndpoint } from "./routes-token";

type Handler = (state: DemoState, req: Req) => Reply;

interface Route {
  method: string;
  re: RegExp;
  keys: string[];
  handle: Handler;
}

function compile(method: string, pattern: string, handle: Handler): Route {
  const keys: string[] = [];
  const src = pattern.replace(/:([a-zA-Z]+)/g, (_, k: string) => {
    keys.push(k);
    return "([^/]+)";
  });
  return { method, re: new RegExp(`^${src}$`), keys, handle };
}

/** Admin routes: authentication first (401), then the realm (404), then the handler's own checks. */
function admin(handler: AdminHandler): Handler {
  return (state, req) => {
    const caller = authenticateAdmin(state, req);
    if (isHttpError(caller)) return errorReply(caller);
    const realm = resolveRealm(state, req.params.realm);
    if (isHttpError(realm)) return errorReply(realm);
    return handler(state, req, caller, realm);
  };
}

function oidc(handler: (state: DemoState, realm: RealmModel, req: Req) => Reply): Handler {
  return (state, req) => {
    const realm = state.realms.get(req.params.realm ?? "");
    return realm ? handler(state, realm, req) : errorReply(REALM_NOT_FOUND);
  };
}

function buildRoutes(sessions: OidcSessions): Route[] {
  const r: Route[] = [];
  const base = "/realms/:realm/protocol/openid-connect";
  r.push(
    compile(
      "GET",
      "/realms/:realm/.well-known/openid-configuration",
      oidc((s, realm) => wellKnown(s, realm)),
    ),
  );
  r.push(
    compile(
      "GET",
      `${base}/certs`,
      oidc((s) => certs(s)),
    ),
  );
  r.push(
    compile(
      "POST",
      `${base}/token`,
      oidc((s, realm, req) => tokenEndpoint(s, sessions, realm, req)),
    ),
  );
  r.push(
    compile(
      "GET",
      `${base}/auth`,
      oidc((s, realm, req) => authorize(s, sessions, realm, req)),
    ),
  );
  r.push(
    compile(
      "POST",
      "/realms/:realm/login-actions/authenticate",
      oidc((s, realm, req) => authenticate(s, sessions, realm, req)),
    ),
  );
  for (const m of ["GET", "POST"]) {
    r.push(
      compile(
        m,
        `${base}/userinfo`,
        oidc((s, realm, req) => userinfo(s, realm, req)),
      ),
    );
    r.push(
      compile(
        m,
        `${base}/logout`,
        oidc((s, realm, req) => logout(s, sessions, realm, req)),
      ),
    );
  }
  r.push(compile("GET", "/admin/realms", listRealms));
  r.push(compile("GET", "/admin/serverinfo", serverInfo));
  r.push(compile("GET", "/admin/realms/:realm", admin(getRealm)));
  r.push(compile("PUT", "/admin/realms/:realm", admin(putRealm)));
  for (const route of [...EVENT_ROUTES, ...CONFIG_ROUTES])
    r.push(compile(route.method, route.path, admin(route.handler)));
  return r;
}

function clientIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? "127.0.0.1";
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}

/** `%u` of the access log: the client id of a bearer token (decoded, not verified), or the handler's own. */
function logUser(req: Req, reply: Reply): string | null {
  if (reply.logUser !== undefined) return reply.logUser;
  const h = req.headers.authorization;
  if (!h || !/^bearer /i.test(h)) return null;
  try {
    const payload = JSON.parse(Buffer.from(h.slice(7).split(".")[1] ?? "", "base64url").toString("utf8")) as {
      azp?: unknown;
    };
    return typeof payload.azp === "string" ? payload.azp : null;
  } catch {
    return null;
  }
}

const MAX_BODY = 1 << 20;

export interface Listener {
  server: Server;
  port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the HTTP listener. Faults apply to every request except the control API. */
export async function listen(
  state: DemoState,
  faults: () => DemoFaults,
  incidents: () => DemoIncident[],
  opts: { host: string; port: number },
): Promise<Listener> {
  const sessions = new OidcSessions();
  const routes = buildRoutes(sessions);
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  const delayed = new Set<NodeJS.Timeout>();

  const dispatch = (req: Req): Reply => {
    if (req.path.startsWith("/__demo/"))
      return controlRoute(state, faults(), incidents, req) ?? errorReply(NOT_FOUND);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const m = route.re.exec(req.path);
      if (!m) continue;
      route.keys.forEach((k, i) => {
        req.params[k] = decodeURIComponent(m[i + 1]!);
      });
      return route.handle(state, req);
    }
    return errorReply(NOT_FOUND);
  };

  const respond = (res: ServerResponse, req: Req, reply: Reply) => {
    const body = reply.body ?? "";
    const bytes = Buffer.byteLength(body);
    res.sendDate = false;
    res.writeHead(reply.status, {
      // The server's own clock (RFC 9110 section 6.6.1), never the machine's.
      ...(state.dateHeader ? { date: new Date(state.now()).toUTCString() } : {}),
      ...reply.headers,
      ...(reply.body !== undefined ? { "content-length": String(bytes) } : {}),
    });
    res.end(body);
    if (req.path.startsWith("/__demo/")) return;
    state.accessLog.push(
      formatAccessLogLine({
        time: state.now(),
        ip: req.ip,
        user: logUser(req, reply),
        method: req.method,
        target: req.target,
        status: reply.status,
        bytes,
        referer: typeof req.headers.referer === "string" ? req.headers.referer : null,
        userAgent: typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"] : null,
      }),
    );
  };

  const server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    incoming.on("end", () => {
      const url = new URL(incoming.url ?? "/", "http://demo.invalid");
      const req: Req = {
        method: incoming.method ?? "GET",
        // JAX-RS matches a path with or without a trailing slash.
        path: url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname,
        target: incoming.url ?? "/",
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks),
        ip: clientIp(incoming),
        params: {},
      };
      if (size > MAX_BODY) return respond(res, req, { status: 413, body: "" });
      const control = req.path.startsWith("/__demo/");
      if (!control && state.faults.shouldHang(req.path)) {
        hung.add(res);
        res.on("close", () => hung.delete(res));
        return;
      }
      const failure = control ? null : state.faults.failureFor(req.path);
      const run = () => {
        if (failure !== null) {
          return respond(
            res,
            req,
            failure === 500
              ? errorReply(UNCAUGHT_SERVER_ERROR)
              : {
                  status: failure,
                  headers: { "content-type": "text/html" },
                  body: `<html><body><h1>${failure} Service Unavailable</h1></body></html>`,
                },
          );
        }
        let reply: Reply;
        try {
          reply = dispatch(req);
        } catch {
          reply = errorReply(UNCAUGHT_SERVER_ERROR);
        }
        respond(res, req, reply);
      };
      const delay = control ? 0 : state.faults.delayFor(req.path);
      if (delay > 0) {
        const timer = setTimeout(() => {
          delayed.delete(timer);
          run();
        }, delay);
        delayed.add(timer);
      } else run();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5000;

  const start = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, opts.host, () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const res of hung) res.destroy();
      hung.clear();
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  const port = await start(opts.port);
  let listening = true;
  return {
    server,
    port,
    down: async () => {
      if (!listening) return;
      listening = false;
      await stop();
    },
    up: async () => {
      if (listening) return;
      await start(port);
      listening = true;
    },
    close: async () => {
      if (!listening) return;
      listening = false;
      await stop();
    },
  };
}

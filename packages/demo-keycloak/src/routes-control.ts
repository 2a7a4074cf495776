import type { DemoIncident } from "./demo-incidents";
import type { DemoState } from "./demo-state";
import type { DemoFaults } from "./faults";
import { errorReply, json, type Reply, type Req } from "./http-io";
import { httpError } from "./keycloak-errors";

/**
 * The demo's own control API (not Keycloak's): logs for importers, reports for the resource-server
 * endpoint, fault injection, incidents, and "fix the app" for the simulated callers.
 */
export function controlRoute(
  state: DemoState,
  faults: DemoFaults,
  incidents: () => DemoIncident[],
  req: Req,
): Reply | null {
  const after = Number(req.query.get("after") ?? "0");
  const limit = Number(req.query.get("limit") ?? "10000");
  const since = Number.isFinite(after) && after > 0 ? after : 0;
  const max = Number.isFinite(limit) && limit > 0 ? limit : 10000;
  const page = <T>(buf: { after(a: number, l: number): T[]; last: number }) => {
    const items = buf.after(since, max);
    return { items, next: Math.min(buf.last, since + items.length) };
  };
  if (req.method === "GET" && req.path === "/__demo/access-log") {
    const p = page(state.accessLog);
    return json({ lines: p.items, next: p.next });
  }
  if (req.method === "GET" && req.path === "/__demo/event-log") {
    const p = page(state.eventLog);
    return json({ lines: p.items, next: p.next });
  }
  if (req.method === "GET" && req.path === "/__demo/reports") {
    const p = page(state.reports);
    return json({ reports: p.items, next: p.next });
  }
  if (req.method === "GET" && req.path === "/__demo/incidents") return json(incidents());
  if (req.method === "GET" && req.path === "/__demo/apps") return json(state.apps.all());
  const appMatch = /^\/__demo\/apps\/([^/]+)\/([^/]+)$/.exec(req.path);
  if (req.method === "POST" && appMatch) {
    const patch = parseObject(req);
    if (!patch) return errorReply(httpError(400, "invalid_request", "a JSON object is required"));
    const app = state.apps.patch(decodeURIComponent(appMatch[1]!), decodeURIComponent(appMatch[2]!), patch);
    return app ? json(app) : errorReply(httpError(404, "no such simulated app"));
  }
  if (req.method === "POST" && req.path === "/__demo/faults") {
    const body = parseObject(req);
    if (!body) return errorReply(httpError(400, "invalid_request", "a JSON object is required"));
    return applyFaults(faults, body);
  }
  return null;
}

function parseObject(req: Req): Record<string, unknown> | null {
  try {
    const v = JSON.parse(req.body.toString("utf8") || "{}") as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const n = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);
const s = (v: unknown) => (typeof v === "string" ? v : undefined);
const obj = (v: unknown) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

/**
 * POST /__demo/faults, e.g. `{"failNext":{"count":3,"status":503,"path":"/admin/"}}`,
 * `{"failWithProbability":{"p":0.1}}`, `{"hangNext":{"count":1}}`, `{"slowMs":500}`,
 * `{"expireTokens":true}`, `{"unstableTies":true}`, `{"insertWhilePaging":{"count":4,"pages":2}}`,
 * `{"lateVisible":{"realm":"acme","count":2,"lagMs":60000}}`, `{"downMs":2000}`, `{"reset":true}`.
 */
function applyFaults(faults: DemoFaults, body: Record<string, unknown>): Reply {
  if (body.reset === true) faults.reset();
  if (body.failNext) {
    const o = obj(body.failNext);
    faults.failNext(n(o.count, 1), { status: n(o.status, 500), path: s(o.path) });
  }
  if (body.failWithProbability) {
    const o = obj(body.failWithProbability);
    faults.failWithProbability(n(o.p, 0), { status: n(o.status, 500), path: s(o.path) });
  }
  if (body.hangNext) {
    const o = obj(body.hangNext);
    faults.hangNext(n(o.count, 1), { path: s(o.path) });
  }
  if (body.slowMs !== undefined) faults.slow(n(body.slowMs, 0), { path: s(body.slowPath) });
  if (body.expireTokens === true) faults.expireTokensNow();
  if (typeof body.unstableTies === "boolean") faults.setUnstableTies(body.unstableTies);
  if (body.insertWhilePaging) {
    const o = obj(body.insertWhilePaging);
    faults.insertWhilePaging({
      count: n(o.count, 2),
      pages: n(o.pages, 1),
      realm: s(o.realm),
      kind: o.kind === "admin" ? "admin" : "user",
    });
  }
  let lateVisible: unknown;
  if (body.lateVisible) {
    const o = obj(body.lateVisible);
    try {
      lateVisible = faults.lateVisible(s(o.realm) ?? "", {
        count: n(o.count, 1),
        lagMs: n(o.lagMs, 60_000),
        time: typeof o.time === "number" ? o.time : undefined,
      });
    } catch (e) {
      return errorReply(httpError(400, "invalid_request", (e as Error).message));
    }
  }
  if (typeof body.downMs === "number" && body.downMs > 0) {
    // Answer first, then go down for the requested time.
    const ms = body.downMs;
    setTimeout(() => {
      void faults.down().then(() => setTimeout(() => void faults.up(), ms));
    }, 50);
  }
  return json({ ok: true, ...(lateVisible ? { lateVisible } : {}) });
}

import { type AccessLogEntry, formatAccessLogLine } from "./access-log";
import type { DemoState } from "./demo-state";
import type { RealmModel } from "./realm-model";
import {
  type NewAdminEvent,
  type NewUserEvent,
  recordAdminEvent,
  recordEventsInOrder,
} from "./record-events";
import type { ResourceServerReportBody } from "./report-body";
import { versionAtLeast } from "./server-version";

/** Client-authentication failures: 401 at the token endpoint (AuthenticationProcessor). */
const CLIENT_AUTH_ERRORS = new Set(["client_not_found", "client_disabled", "invalid_client_credentials"]);

/**
 * The status of a failed password grant: a refused client is 401; direct grants off is 400
 * unauthorized_client; bad user credentials are invalid_grant, 401 up to 26.5 and 400 since 26.6 (keycloak
 * PR #46528).
 */
function passwordGrantStatus(e: NewUserEvent, version: string): number {
  if (CLIENT_AUTH_ERRORS.has(e.error ?? "")) return 401;
  if (e.error === "not_allowed") return 400;
  return versionAtLeast(version, 26, 6) ? 400 : 401;
}

/** The HTTP request behind a user event, for its access-log line. */
function requestFor(
  realm: string,
  e: NewUserEvent,
  version: string,
): Pick<AccessLogEntry, "method" | "target" | "status"> | null {
  const oidc = `/realms/${realm}/protocol/openid-connect`;
  const failed = e.type.endsWith("_ERROR");
  switch (e.type.replace(/_ERROR$/, "")) {
    case "LOGIN":
      if (e.error === "invalid_redirect_uri") {
        return {
          method: "GET",
          target: `${oidc}/auth?client_id=${e.clientId}&redirect_uri=${encodeURIComponent(e.details?.redirect_uri ?? "")}&response_type=code&scope=openid`,
          status: 400,
        };
      }
      if (e.details?.grant_type === "password")
        return {
          method: "POST",
          target: `${oidc}/token`,
          status: failed ? passwordGrantStatus(e, version) : 200,
        };
      return {
        method: "POST",
        target: `/realms/${realm}/login-actions/authenticate?client_id=${e.clientId ?? ""}&tab_id=x`,
        status: failed ? 200 : 302,
      };
    case "CODE_TO_TOKEN":
    case "REFRESH_TOKEN":
    case "TOKEN_EXCHANGE":
      return { method: "POST", target: `${oidc}/token`, status: failed ? 400 : 200 };
    case "CLIENT_LOGIN":
      return { method: "POST", target: `${oidc}/token`, status: failed ? 401 : 200 };
    case "PERMISSION_TOKEN":
      return { method: "POST", target: `${oidc}/token`, status: failed ? 403 : 200 };
    case "USER_INFO_REQUEST":
      return {
        method: "GET",
        target: `${oidc}/userinfo`,
        status: !failed ? 200 : e.error === "access_denied" ? 403 : 401,
      };
    case "LOGOUT":
      return { method: "GET", target: `${oidc}/logout`, status: 302 };
    default:
      return null;
  }
}

/**
 * Collects what simulated traffic produces (user and admin events, access-log lines, resource-server
 * reports), then writes it in time order through the same paths a real request takes, so the realm's
 * events settings decide what is stored.
 */
export class TrafficSink {
  private user: Array<{ realm: RealmModel; event: NewUserEvent }> = [];
  private admin: Array<{ realm: RealmModel; event: NewAdminEvent }> = [];
  private access: AccessLogEntry[] = [];
  private reports: ResourceServerReportBody[] = [];

  constructor(private readonly state: DemoState) {}

  /** A user event and, unless `access` is null, the access-log line of its request. */
  userEvent(realm: RealmModel, e: NewUserEvent, access?: Partial<AccessLogEntry> | null): void {
    this.user.push({ realm, event: e });
    if (access === null) return;
    const req = requestFor(realm.name, e, this.state.version);
    if (!req) return;
    const viaToken = req.target.endsWith("/token");
    this.access.push({
      time: e.time,
      ip: e.ipAddress ?? "127.0.0.1",
      user: viaToken ? (e.clientId ?? null) : null,
      // A redirect has no body, nor has a userinfo refusal (UserInfoEndpoint: the error is in WWW-Authenticate).
      bytes:
        req.status === 302 || (req.target.endsWith("/userinfo") && req.status !== 200)
          ? 0
          : 40 + (Math.floor(e.time / 8) % 1800),
      referer: null,
      userAgent: viaToken ? "node" : "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/146.0",
      ...req,
      ...access,
    });
  }

  adminEvent(realm: RealmModel, event: NewAdminEvent): void {
    this.admin.push({ realm, event });
  }

  accessLine(entry: AccessLogEntry): void {
    this.access.push(entry);
  }

  report(r: ResourceServerReportBody): void {
    this.reports.push(r);
  }

  /**
   * Writes what is collected before `until` (everything by default) in time order, and keeps the rest
   * for a later flush, so the logs stay chronological across flushes.
   */
  flush(until = Number.POSITIVE_INFINITY, opts?: { successCommitLagMs?: number }): void {
    const due = <T>(items: T[], time: (x: T) => number): [T[], T[]] => {
      items.sort((a, b) => time(a) - time(b));
      let cut = items.length;
      while (cut > 0 && time(items[cut - 1]!) >= until) cut--;
      return [items.slice(0, cut), items.slice(cut)];
    };
    const [user, userLater] = due(this.user, (u) => u.event.time);
    const [admin, adminLater] = due(this.admin, (a) => a.event.time);
    // One event log in time order: user and admin events interleaved across realms.
    let a = 0;
    let u = 0;
    while (u < user.length || a < admin.length) {
      if (a < admin.length && (u >= user.length || admin[a]!.event.time < user[u]!.event.time)) {
        recordAdminEvent(this.state, admin[a]!.realm, admin[a]!.event);
        a++;
        continue;
      }
      let end = u;
      while (end < user.length && (a >= admin.length || user[end]!.event.time <= admin[a]!.event.time)) end++;
      recordEventsInOrder(this.state, user.slice(u, end), opts);
      u = end;
    }
    this.user = userLater;
    this.admin = adminLater;
    const [access, accessLater] = due(this.access, (a) => a.time);
    for (const a of access) this.state.accessLog.push(formatAccessLogLine(a));
    this.access = accessLater;
    const [reports, reportsLater] = due(this.reports, (r) => r.time);
    for (const r of reports) this.state.reports.push(r);
    this.reports = reportsLater;
  }
}

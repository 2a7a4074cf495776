import { describe, expect, it } from "vitest";
import { diagnoseEvidence, type PieceFinding } from "@/lib/classify/evidence/diagnose-evidence";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { readEvidence } from "@/lib/logs/evidence/read-evidence";
import { formatKeycloakEventLine } from "@/lib/logs/format-keycloak-event-line";
import { SITUATIONS, type Situation } from "@/testkit/situations";

/**
 * The situation suite in the forms people paste: for every situation with an event, the line without its
 * timestamp and level, wrapped by a terminal, one field per line, and fragments (with the type, and the tail
 * without it); for every situation Keycloak answers over HTTP, a curl -v transcript, a raw response, an
 * exception naming the URL, and where the answer names the failure, the WWW-Authenticate header or error
 * body alone. Each must reach the situation's cause.
 */
const REALM_ID = "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13";
const NOW = Date.UTC(2025, 5, 3, 10, 0, 0);
const HOST = "auth.example.com";

function userEvent(s: Situation): KeycloakUserEvent {
  const e = s.event;
  if (e === undefined) throw new Error(`${s.name} has no event`);
  return {
    time: 0,
    type: e.type,
    realmId: REALM_ID,
    realmName: "acme",
    clientId: e.clientId ?? null,
    userId: e.userId ?? null,
    ipAddress: "203.0.113.24",
    error: e.error ?? null,
    details: e.details ?? null,
  };
}

function diagnose(text: string, s: Situation): PieceFinding[] {
  const reading = readEvidence(text, { defaultDate: "2025-06-03", timeZone: "UTC" });
  return diagnoseEvidence(reading, { now: NOW, ctx: s.context }).pieces;
}

/** The one piece the text should give, with the situation's verdict. */
function expectPiece(text: string, s: Situation, form: string, exactRule = true): void {
  const pieces = diagnose(text, s).filter((p) => p.kind !== "token");
  expect(pieces.map((p) => p.form)).toEqual([form]);
  const verdict = pieces[0]?.verdict;
  expect(verdict?.cause, text).toBe(s.expect.cause);
  if (exactRule) expect(verdict?.ruleId, text).toBe(s.expect.ruleId);
}

const quotedBody = (s: Situation) => formatKeycloakEventLine(userEvent(s), "quoted");
const unquotedBody = (s: Situation) => {
  const { realmName: _omitted, ...event } = userEvent(s);
  return formatKeycloakEventLine(event, "unquoted");
};
const PREFIX = "2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-12) ";

/** A terminal's hard wrap: the line cut every `width` characters, mid-value or mid-key. */
function terminalWrap(line: string, width: number): string {
  const out: string[] = [];
  for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width));
  return out.join("\n");
}

/** The fields after error=, without type, realm or ids: the tail people quote. */
function tail(body: string): string | null {
  const at = body.indexOf("error=");
  return at === -1 ? null : `${body.slice(at)}, ...`;
}

const withEvents = SITUATIONS.filter((s) => s.event !== undefined);

describe.each(withEvents)("($section) $name, pasted", (s) => {
  it("a line without timestamp and level", () => {
    expectPiece(`[org.keycloak.events] (executor-thread-17) ${quotedBody(s)}`, s, "prefixless-line");
  });

  it("a line wrapped by an 80-column terminal", () => {
    expectPiece(terminalWrap(`${PREFIX}${quotedBody(s)}`, 80), s, "wrapped-line");
  });

  it("a line wrapped by a 57-column terminal, unquoted (before 23.0.5)", () => {
    expectPiece(
      terminalWrap(`09:14:07,321 WARN  [org.keycloak.events] (default task-3) ${unquotedBody(s)}`, 57),
      s,
      "wrapped-line",
    );
  });

  it("one field per line", () => {
    expectPiece(`${PREFIX}${quotedBody(s).replaceAll('", ', '",\n    ')}`, s, "wrapped-line");
  });

  it("a fragment with its type and no realm", () => {
    const e = userEvent(s);
    const details = Object.entries(e.details ?? {}).map(
      ([k, v]) => `, ${k}=${v.includes(" ") ? `'${v}'` : v}`,
    );
    const error = e.error == null ? "" : `, error=${e.error}`;
    expectPiece(`The log says type=${e.type}${error}${details.join("")}.`, s, "fragment");
  });

  it("the tail of a line, without its type", () => {
    const text = tail(unquotedBody(s));
    if (text === null) return;
    // Without the type the rule may differ (a type-specific rule and its general form); the cause may not.
    expectPiece(text, s, "fragment", false);
  });
});

interface Answer {
  method: string;
  path: string;
  status: number;
  challenge?: string;
  body?: string;
  grant?: string;
}

const TOKEN = "/realms/acme/protocol/openid-connect/token";
const json = (error: string, description: string) =>
  JSON.stringify({ error, error_description: description });

/**
 * The HTTP answer Keycloak gives together with a situation's event, where the answer names the failure
 * (section 10 of the events reference and the classes cited in response-signals.ts). Null where the answer is
 * generic: the event is then the only evidence.
 */
function answerOf(s: Situation): Answer | null {
  const e = s.event;
  if (e === undefined) {
    if (s.http === undefined) return null;
    return {
      method: s.http.method,
      path: s.http.path,
      status: s.http.status,
      ...(s.response?.message ? { body: JSON.stringify({ errorMessage: s.response.message }) } : {}),
    };
  }
  const reason = e.details?.reason;
  const grant = e.details?.grant_type;
  if (e.type === "USER_INFO_REQUEST_ERROR" && e.error === "access_denied") {
    return {
      method: "GET",
      path: "/realms/acme/protocol/openid-connect/userinfo",
      status: 403,
      challenge: 'Bearer realm="acme", error="insufficient_scope", error_description="Missing openid scope"',
    };
  }
  const token = (status: number, body: string): Answer => ({
    method: "POST",
    path: TOKEN,
    status,
    body,
    ...(grant ? { grant } : {}),
  });
  if (e.type === "CODE_TO_TOKEN_ERROR" && e.error === "invalid_code")
    return token(400, json("invalid_grant", "Code not valid"));
  if (e.type === "CODE_TO_TOKEN_ERROR" && e.error === "expired_code")
    return token(400, json("invalid_grant", "Code is expired"));
  if (e.error === "invalid_client_credentials") {
    return token(401, json("unauthorized_client", "Invalid client or Invalid client credentials"));
  }
  if (reason === "Client not enabled to retrieve service account")
    return token(401, json("unauthorized_client", reason));
  if (reason === "Client not allowed for direct access grants")
    return token(400, json("unauthorized_client", reason));
  if (e.type === "REFRESH_TOKEN_ERROR" && e.error === "invalid_token" && reason !== undefined) {
    return token(400, json("invalid_grant", reason));
  }
  if (e.error === "invalid_request" && reason?.startsWith("Invalid scopes: ") && grant !== undefined) {
    return token(400, json("invalid_scope", reason));
  }
  if (e.type === "TOKEN_EXCHANGE_ERROR" && reason === "subject_token validation failure") {
    return token(400, json("invalid_request", "Invalid token"));
  }
  const policy = e.details?.client_registration_policy;
  if (policy !== undefined) {
    return {
      method: e.type === "CLIENT_UPDATE_ERROR" ? "PUT" : "POST",
      path: "/realms/acme/clients-registrations/openid-connect",
      status: 403,
      body: json(
        "insufficient_scope",
        `Policy '${policy}' rejected request to client-registration service. Details: Host not trusted.`,
      ),
    };
  }
  return null;
}

function curl(a: Answer, origin?: string | null): string {
  return [
    ...(a.grant ? [`$ curl -v https://${HOST}${a.path} -d grant_type=${a.grant} -d client_id=shop`] : []),
    `*   Trying 198.51.100.7:443...`,
    `* Connected to ${HOST} (198.51.100.7) port 443`,
    `> ${a.method} ${a.path} HTTP/1.1`,
    `> Host: ${HOST}`,
    `> User-Agent: curl/8.5.0`,
    ...(origin ? [`> Origin: ${origin}`] : []),
    ">",
    `< HTTP/1.1 ${a.status} ${a.status === 401 ? "Unauthorized" : a.status === 403 ? "Forbidden" : "Bad Request"}`,
    ...(a.challenge ? [`< WWW-Authenticate: ${a.challenge}`] : []),
    `< Content-Type: ${a.body ? "application/json" : "text/plain"}`,
    "<",
    ...(a.body ? [a.body] : []),
    `* Connection #0 to host ${HOST} left intact`,
  ].join("\n");
}

const withAnswers = SITUATIONS.flatMap((s) => {
  const answer = answerOf(s);
  return answer === null ? [] : [{ ...s, answer }];
});

describe("HTTP-side situations, as the application developer sees them", () => {
  it("cover every access-log situation and the event situations whose answer names the failure", () => {
    expect(withAnswers.filter((s) => s.event === undefined)).toHaveLength(
      SITUATIONS.filter((s) => s.http !== undefined).length,
    );
    expect(withAnswers.filter((s) => s.event !== undefined).length).toBeGreaterThanOrEqual(25);
  });
});

describe.each(withAnswers)("($section) $name, over HTTP", (s) => {
  const a = s.answer;
  it("a curl -v transcript", () => {
    expectPiece(curl(a, s.http?.origin), s, "curl", false);
  });

  it("a raw request and response", () => {
    const text = [
      `${a.method} ${a.path} HTTP/1.1`,
      `Host: ${HOST}`,
      ...(s.http?.origin ? [`Origin: ${s.http.origin}`] : []),
      "",
      `HTTP/1.1 ${a.status}`,
      ...(a.challenge ? [`WWW-Authenticate: ${a.challenge}`] : []),
      "",
      ...(a.body ? [a.body] : []),
    ].join("\n");
    expectPiece(text, s, "http-response", false);
  });

  // The answer's body is what tells these apart; an exception without it cannot (s.response).
  it.runIf(
    s.http !== undefined && s.http.origin == null && s.http.method !== "OPTIONS" && s.response === undefined,
  )("an exception naming the URL and the status", () => {
    expectPiece(
      `java.io.IOException: Server returned HTTP response code: ${a.status} for URL: https://${HOST}${a.path}\n\tat java.base/sun.net.www.protocol.http.HttpURLConnection.getInputStream(HttpURLConnection.java:2000)`,
      s,
      "status-mention",
      false,
    );
  });

  it.runIf(a.challenge !== undefined)("the WWW-Authenticate header alone", () => {
    expectPiece(`WWW-Authenticate: ${a.challenge}`, s, "www-authenticate", false);
  });

  it.runIf(a.body !== undefined && s.event !== undefined)("the error body alone", () => {
    expectPiece(a.body as string, s, "error-body", false);
  });
});

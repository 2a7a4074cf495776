import { JsonDepth } from "@/lib/logs/evidence/json-depth";

/**
 * What an application developer holds after a refused request: a `curl -v` transcript, a raw response (status
 * line, headers, body), a lone `WWW-Authenticate` header, an error body, or an exception naming the URL and
 * the status. Each is read into one HttpExchange. Pure; untrusted text in, bounded values out.
 */

export interface BearerChallenge {
  scheme: string;
  realm: string | null;
  error: string | null;
  errorDescription: string | null;
}

export interface HttpExchange {
  method: string | null;
  /** The URL as written (query removed), or null when only a path or nothing is known. */
  url: string | null;
  host: string | null;
  path: string | null;
  status: number | null;
  /** OAuth `error` of a JSON body (or of the challenge when the body has none). */
  error: string | null;
  errorDescription: string | null;
  /** Keycloak's admin ErrorRepresentation: `{"errorMessage":"User is disabled"}`. */
  errorMessage: string | null;
  challenge: BearerChallenge | null;
  /** `grant_type` seen in the request (a `-d` of the curl command or a form body). */
  grantType: string | null;
  /** The request's Origin header. */
  origin: string | null;
}

const MAX_VALUE = 2048;

export function emptyExchange(): HttpExchange {
  return {
    method: null,
    url: null,
    host: null,
    path: null,
    status: null,
    error: null,
    errorDescription: null,
    errorMessage: null,
    challenge: null,
    grantType: null,
    origin: null,
  };
}

const cap = (value: string) => (value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) : value);

/** `Bearer realm="acme", error="insufficient_scope", error_description="Missing openid scope"`. */
export function parseChallenge(value: string): BearerChallenge | null {
  const m = /^\s*([A-Za-z][\w-]*)(?:\s+(.*))?$/s.exec(value);
  if (m?.[1] === undefined) return null;
  const params = new Map<string, string>();
  const PARAM = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = PARAM.exec(m[2] ?? ""); p !== null; p = PARAM.exec(m[2] ?? "")) {
    const key = (p[1] ?? "").toLowerCase();
    if (!params.has(key)) params.set(key, cap((p[2] ?? p[3] ?? "").replace(/\\(.)/g, "$1")));
  }
  return {
    scheme: m[1],
    realm: params.get("realm") ?? null,
    error: params.get("error") ?? null,
    errorDescription: params.get("error_description") ?? null,
  };
}

/** Reads an error body: OAuth `{error, error_description}` or Keycloak's `{errorMessage}`. Null otherwise. */
export function readErrorBody(
  value: unknown,
): Pick<HttpExchange, "error" | "errorDescription" | "errorMessage"> | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const text = (key: string) => {
    const v = record[key];
    return typeof v === "string" && v !== "" ? cap(v) : null;
  };
  const error = text("error");
  const errorDescription = text("error_description");
  const errorMessage = text("errorMessage");
  if (error === null && errorDescription === null && errorMessage === null) return null;
  return { error, errorDescription, errorMessage };
}

/** Host and path of a URL or a bare path; the query and fragment are dropped (they may hold codes). */
export function splitUrl(target: string): { url: string | null; host: string | null; path: string } | null {
  const trimmed = target.trim().replace(/^['"<(]+|['">),.;]+$/g, "");
  const absolute = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)/i.exec(trimmed);
  if (absolute !== null) {
    const path = absolute[3] === undefined || absolute[3] === "" ? "/" : absolute[3];
    return {
      url: cap(`${absolute[1]}://${absolute[2]}${path}`),
      host: cap(absolute[2] ?? ""),
      path: cap(path),
    };
  }
  const relative = /^(\/[^?#\s]*)/.exec(trimmed);
  return relative?.[1] === undefined ? null : { url: null, host: null, path: cap(relative[1]) };
}

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/;
const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)\s+HTTP\/\d(?:\.\d)?\s*$/;
const HEADER = /^([A-Za-z][\w-]*):\s*(.*)$/;
const GRANT = /grant_type=([\w:.%-]{1,200})/;

/** True when a line opens a curl -v transcript or a raw HTTP exchange. */
export function startsHttpBlock(line: string): boolean {
  const t = line.trimStart();
  return /^[<>] \S/.test(t) || STATUS_LINE.test(t) || REQUEST_LINE.test(t);
}

/**
 * Reads a curl -v transcript or a raw request/response: `>` request lines, `<` response lines, `*` notes (or the
 * same without markers: request line, headers, status line, headers), then the body after the headers.
 * `lines[start]` opens the block; returns the exchange and the index after the block's last line.
 */
export function readHttpBlock(
  lines: readonly string[],
  start: number,
): { exchange: HttpExchange; end: number } {
  const exchange = emptyExchange();
  let host: string | null = null;
  let target: string | null = null;
  let side: "request" | "response" = "request";
  let i = start;
  for (; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const marker = /^\s*([<>*])(?: (.*))?$/.exec(raw);
    let text: string;
    if (marker !== null) {
      text = (marker[2] ?? "").trim();
      if (marker[1] === "*") {
        const connected = /^Connected to (\S+)/.exec(text);
        if (connected?.[1] !== undefined) host ??= connected[1];
        continue;
      }
      side = marker[1] === ">" ? "request" : "response";
    } else {
      text = raw.trim();
      if (/^[{}] \[/.test(text)) continue;
    }
    const request = REQUEST_LINE.exec(text);
    if (request !== null) {
      exchange.method = request[1] ?? null;
      target = request[2] ?? null;
      side = "request";
      continue;
    }
    const status = STATUS_LINE.exec(text);
    if (status !== null) {
      exchange.status = Number(status[1]);
      side = "response";
      continue;
    }
    const header = HEADER.exec(text);
    if (header !== null && !/^https?$/i.test(header[1] ?? "")) {
      const name = (header[1] ?? "").toLowerCase();
      const value = (header[2] ?? "").trim();
      if (side === "response" && name === "www-authenticate") applyChallenge(exchange, value);
      else if (side === "request" && name === "host") host = cap(value);
      else if (side === "request" && name === "origin") exchange.origin = cap(value);
      continue;
    }
    if (text === "") {
      // A blank line ends the headers; the body may follow.
      if (marker !== null) continue;
      const next = (lines[i + 1] ?? "").trim();
      if (exchange.status !== null && looksLikeBodyStart(next)) continue;
      if (exchange.status === null && STATUS_LINE.test(next)) continue;
      break;
    }
    if (exchange.status !== null && looksLikeBodyStart(text)) {
      const body: string[] = [];
      const depth = new JsonDepth();
      const json = text.startsWith("{") || text.startsWith("[");
      for (; i < lines.length && body.length < 500; i++) {
        body.push(lines[i] ?? "");
        if (!json || !depth.feed(lines[i] ?? "")) break;
      }
      i++;
      applyBody(exchange, body.join("\n"));
      break;
    }
    break;
  }
  if (target !== null) {
    const absolute = /^https?:\/\//i.test(target);
    const where = splitUrl(!absolute && host !== null ? `https://${host}${target}` : target);
    if (where !== null) {
      exchange.path = where.path;
      exchange.host = where.host;
      exchange.url = where.url;
    }
  } else if (host !== null) exchange.host = host;
  for (let j = Math.max(0, start - 1); j < i; j++) {
    const g = GRANT.exec(lines[j] ?? "");
    if (g?.[1] !== undefined) {
      exchange.grantType = decodeURIComponentSafe(g[1]);
      break;
    }
  }
  return { exchange, end: Math.max(i, start + 1) };
}

function looksLikeBodyStart(t: string): boolean {
  return t.startsWith("{") || t.startsWith("[") || t.startsWith("<");
}

export function applyChallenge(exchange: HttpExchange, value: string): void {
  const challenge = parseChallenge(value);
  if (challenge === null) return;
  exchange.challenge = challenge;
  exchange.error ??= challenge.error;
  exchange.errorDescription ??= challenge.errorDescription;
}

/** A body: JSON error (OAuth or Keycloak's errorMessage), or Keycloak's HTML error page title. */
export function applyBody(exchange: HttpExchange, body: string): void {
  const t = body.trim();
  if (t.startsWith("{")) {
    try {
      const parsed = readErrorBody(JSON.parse(t));
      if (parsed !== null) {
        exchange.error = parsed.error ?? exchange.error;
        exchange.errorDescription = parsed.errorDescription ?? exchange.errorDescription;
        exchange.errorMessage = parsed.errorMessage ?? exchange.errorMessage;
      }
    } catch {
      // Not JSON after all: the status and headers still stand.
    }
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const METHOD = "(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)";
const URL_TEXT = "(https?:\\/\\/[^\\s'\"<>]+|\\/[^\\s'\"<>]*)";

/**
 * Exceptions and status lines that name a refused request, each as libraries print them:
 * Java's HttpURLConnection, Spring's WebClient and RestTemplate, JAX-RS (the Keycloak admin client),
 * Python requests, axios, and a bare `HTTP 403 Forbidden` or `HTTP/1.1 403` line.
 */
const MENTIONS: readonly { pattern: RegExp; status: number; url?: number; method?: number; body?: number }[] =
  [
    {
      pattern: new RegExp(`Server returned HTTP response code: (\\d{3}) for URL: ${URL_TEXT}`),
      status: 1,
      url: 2,
    },
    {
      pattern: new RegExp(`\\b(\\d{3}) [A-Za-z][A-Za-z ]{0,40} from ${METHOD} ${URL_TEXT}`),
      status: 1,
      method: 2,
      url: 3,
    },
    {
      pattern: new RegExp(`\\b(\\d{3}) (?:Client|Server) Error: .{0,200}? for url: ${URL_TEXT}`),
      status: 1,
      url: 2,
    },
    {
      pattern: /HttpClientErrorException(?:\$\w+)?: (\d{3})[^:]*: (?:\[|")?(\{.*\})(?:\]|")?/,
      status: 1,
      body: 2,
    },
    { pattern: /Request failed with status code (\d{3})/, status: 1 },
    { pattern: /\bHTTP (\d{3})(?: [A-Z][A-Za-z ]*)?\b/, status: 1 },
    {
      pattern: new RegExp(`\\b${METHOD} ${URL_TEXT}.{0,200}?\\b(?:status|code|HTTP)[ :=]*([45]\\d{2})\\b`),
      method: 1,
      url: 2,
      status: 3,
    },
    {
      pattern: new RegExp(`\\b([45]\\d{2}) (?:Unauthorized|Forbidden|Bad Request)\\b.{0,200}?${URL_TEXT}`),
      status: 1,
      url: 2,
    },
    { pattern: /\bstatus(?:Code| code)?["']?\s*[:=]\s*([45]\d{2})\b/i, status: 1 },
  ];

const ERROR_STATUS = /\b[45]\d\d\b/;

/** A line that names a refused request (an exception message or a status line), read into an exchange. */
export function readStatusMention(line: string): HttpExchange | null {
  if (!ERROR_STATUS.test(line)) return null;
  for (const mention of MENTIONS) {
    const m = mention.pattern.exec(line);
    if (m === null) continue;
    const status = Number(m[mention.status]);
    if (!(status >= 400 && status <= 599)) continue;
    const exchange = emptyExchange();
    exchange.status = status;
    if (mention.method !== undefined) exchange.method = m[mention.method] ?? null;
    if (mention.url !== undefined) applyUrl(exchange, m[mention.url] ?? "");
    if (mention.body !== undefined) applyBody(exchange, (m[mention.body] ?? "").replace(/\\"/g, '"'));
    return exchange;
  }
  return null;
}

export function applyUrl(exchange: HttpExchange, target: string): void {
  const where = splitUrl(target);
  if (where === null) return;
  exchange.url = where.url;
  exchange.host = where.host;
  exchange.path = where.path;
}

/** A URL on a line of its own or after `url:` (axios prints the config), to complete a mention nearby. */
export function findUrl(line: string): string | null {
  const m = /(https?:\/\/[^\s'"<>]+)/.exec(line);
  return m?.[1] ?? null;
}

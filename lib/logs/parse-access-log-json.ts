import {
  type AccessLogRecord,
  applyBearer,
  applyTarget,
  cap,
  headerValue,
  setIf,
} from "@/lib/logs/access-log-record";
import { parseIsoTimestamp } from "@/lib/logs/find-log-timestamp";
import { parseClfTime } from "@/lib/logs/parse-clf-time";
import { resolveLogTime } from "@/lib/logs/resolve-log-time";

type Json = Record<string, unknown>;

const METHOD = /^[A-Z]{3,10}$/;

/** Parses a JSON access-log object: Traefik's field names, or nginx variable names (`escape=json`). */
export function parseAccessLogJson(json: string): AccessLogRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const record = value as Json;
  return "RequestMethod" in record || "DownstreamStatus" in record ? traefik(record) : nginx(record);
}

function traefik(o: Json): AccessLogRecord | null {
  const method = text(o.RequestMethod);
  const status = statusOf(o.DownstreamStatus) ?? statusOf(o.OriginStatus);
  const target = text(o.RequestPath);
  if (method === undefined || !METHOD.test(method) || status === undefined || target === undefined)
    return null;
  const record: AccessLogRecord = {
    format: "traefik-json",
    time: timeOf(o.StartUTC) ?? timeOf(o.time) ?? timeOf(o.StartLocal),
    ipAddress: text(o.ClientHost) ?? hostOfAddress(text(o.ClientAddr)) ?? null,
    method,
    path: "",
    status,
  };
  applyTarget(record, target);
  setIf(record, "host", text(o.RequestHost));
  setIf(record, "userAgent", headerValue(o["request_User-Agent"]));
  setIf(record, "referer", headerValue(o.request_Referer));
  setIf(record, "origin", headerValue(o.request_Origin));
  setIf(record, "bytes", numberOf(o.DownstreamContentSize));
  applyBearer(record, headerValue(o.request_Authorization));
  return record;
}

function nginx(o: Json): AccessLogRecord | null {
  const status = statusOf(o.status);
  if (status === undefined) return null;
  const request = text(o.request)?.split(" ");
  const method = text(o.request_method) ?? request?.[0];
  let target = text(o.request_uri) ?? request?.[1];
  if (target === undefined) {
    const uri = text(o.uri);
    const args = text(o.args) ?? text(o.query_string);
    target = uri === undefined ? undefined : args ? `${uri}?${args}` : uri;
  }
  if (method === undefined || !METHOD.test(method) || target === undefined) return null;
  const forwardedFor = text(o.http_x_forwarded_for)?.split(",")[0]?.trim();
  const record: AccessLogRecord = {
    format: "nginx-json",
    time:
      timeOf(o.time_iso8601) ??
      timeOf(o["@timestamp"]) ??
      timeOf(o.timestamp) ??
      timeOf(o.time) ??
      timeOf(o.time_local) ??
      msecOf(o.msec),
    ipAddress: text(o.remote_addr) ?? text(o.client_ip) ?? forwardedFor ?? null,
    method,
    path: "",
    status,
  };
  applyTarget(record, target);
  setIf(record, "host", text(o.host) ?? text(o.http_host) ?? text(o.server_name));
  setIf(record, "userAgent", headerValue(o.http_user_agent));
  setIf(record, "referer", headerValue(o.http_referer));
  setIf(record, "origin", headerValue(o.http_origin));
  setIf(record, "bytes", numberOf(o.body_bytes_sent) ?? numberOf(o.bytes_sent));
  applyBearer(record, headerValue(o.http_authorization));
  return record;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "-" ? cap(value) : undefined;
}

function statusOf(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === "string" && value !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function timeOf(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const iso = parseIsoTimestamp(value);
  if (iso !== null) return resolveLogTime(iso).time;
  return parseClfTime(value);
}

/** nginx $msec: epoch seconds with millisecond fraction. */
function msecOf(value: unknown): number | null {
  const n = numberOf(value);
  return n === undefined ? null : Math.round(n * 1000);
}

/** Traefik ClientAddr is host:port (IPv6 in brackets). */
function hostOfAddress(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  if (address.startsWith("[")) return address.slice(1, address.indexOf("]"));
  const colon = address.lastIndexOf(":");
  return colon === -1 ? address : address.slice(0, colon);
}

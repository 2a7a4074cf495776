import type { Facts } from "@/lib/classify/types";

/** Event values are untrusted: each one quoted in evidence is cut to this many characters. */
export const MAX_EVIDENCE_VALUE = 200;

const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** A value fit to quote in one line of evidence: control characters folded, length capped. */
export function capValue(value: string | null | undefined): string {
  if (value == null) return "null";
  let text = value.length > MAX_EVIDENCE_VALUE ? `${value.slice(0, MAX_EVIDENCE_VALUE)}…` : value;
  if (CONTROL.test(text)) text = text.replace(CONTROL_ALL, " ");
  return text;
}

/** The signal as Keycloak wrote it: `TYPE with error E and reason "R"`, or the HTTP request for denials. */
export function signalOf(facts: Facts): string {
  const { input, reason } = facts;
  const http = input.http;
  if (input.origin === "access-log" || input.origin === "report") {
    if (http == null) return `${capValue(input.type)} without request details`;
    const where = `${http.status} on ${capValue(http.method)} ${capValue(http.path)}`;
    if (input.origin === "report") return `${where} at the resource server`;
    const answered = answerOf(input.response);
    return http.origin == null
      ? `${where}${answered}`
      : `${where} with Origin ${capValue(http.origin)}${answered}`;
  }
  let signal = capValue(input.type);
  if (input.error != null && input.error !== "") signal += ` with error ${capValue(input.error)}`;
  const joiner = input.error != null && input.error !== "" ? " and" : " with";
  if (reason !== null) return `${signal}${joiner} reason "${capValue(reason)}"`;
  const detail = input.details?.detail;
  if (detail != null) return `${signal}${joiner} detail "${capValue(detail)}"`;
  return signal;
}

/** `answering "Missing openid scope"` for an HTTP answer the evidence shows; "" when there is none. */
function answerOf(response: Facts["input"]["response"]): string {
  if (response == null) return "";
  const text = response.message ?? response.description ?? null;
  const error = response.error == null ? "" : ` ${capValue(response.error)}`;
  if (text == null) return error === "" ? "" : ` answering${error}`;
  return ` answering${error} "${capValue(text)}"`;
}

import type { AccessLogFormat } from "@/lib/logs/access-log-record";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { parseEventJson } from "@/lib/logs/parse-event-json";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";

/**
 * Which parser an import should use:
 * - keycloak-log: Keycloak server output with jboss-logging event lines (other lines, including
 *   Keycloak's own access log, may be mixed in);
 * - event-json: Admin REST event representations, one per line ("lines") or one document ("document",
 *   e.g. a pretty-printed array saved from curl);
 * - access-log: HTTP access log of the given variant;
 * - unknown: nothing recognisable in the sample.
 */
export type DetectedFormat =
  | { format: "keycloak-log"; counts: FormatCounts }
  | { format: "event-json"; layout: "lines" | "document"; counts: FormatCounts }
  | { format: "access-log"; variant: AccessLogFormat; counts: FormatCounts }
  | { format: "unknown"; counts: FormatCounts };

export interface FormatCounts {
  eventLines: number;
  jsonEvents: number;
  accessLines: number;
  other: number;
}

const EVENT_KEY = /^\s*"(type|operationType)"\s*:\s*"[A-Z_]+"/;

/** Decides from the first lines of an input (a few hundred are plenty). */
export function detectFormat(firstLines: readonly string[]): DetectedFormat {
  const counts: FormatCounts = { eventLines: 0, jsonEvents: 0, accessLines: 0, other: 0 };
  const variants = new Map<AccessLogFormat, number>();
  for (const line of firstLines) {
    if (line.trim().length === 0) continue;
    const json = parseEventJson(line);
    if (json?.some((r) => r.ok)) {
      counts.jsonEvents++;
      continue;
    }
    if (parseKeycloakEventLine(line) !== null) {
      counts.eventLines++;
      continue;
    }
    const access = parseAccessLogLine(line);
    if (access !== null) {
      counts.accessLines++;
      variants.set(access.format, (variants.get(access.format) ?? 0) + 1);
      continue;
    }
    counts.other++;
  }

  if (
    counts.jsonEvents > 0 &&
    counts.jsonEvents >= counts.eventLines &&
    counts.jsonEvents >= counts.accessLines
  ) {
    return { format: "event-json", layout: "lines", counts };
  }
  if (counts.eventLines > 0 && counts.eventLines >= counts.accessLines)
    return { format: "keycloak-log", counts };
  if (counts.accessLines > 0) {
    // A Keycloak server log with the access log switched on but no event yet in the sample is still a server log.
    const [variant] = [...variants.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["common"];
    return variant === "keycloak"
      ? { format: "keycloak-log", counts }
      : { format: "access-log", variant, counts };
  }
  // A pretty-printed document: the sample may end mid-object, so look for representation keys instead of parsing.
  const first = firstLines.find((line) => line.trim().length > 0)?.trimStart();
  if ((first?.startsWith("[") || first?.startsWith("{")) && firstLines.some((line) => EVENT_KEY.test(line))) {
    return { format: "event-json", layout: "document", counts };
  }
  return { format: "unknown", counts };
}

import { CATALOGUE, CATALOGUE_VERSION } from "@/lib/classify/catalogue";
import { CAUSE_IDS, CAUSES, fixPath } from "@/lib/classify/causes";
import { CONDITIONS } from "@/lib/classify/conditions";
import type { Rule, RuleMatch, TextMatch } from "@/lib/classify/rule";

/**
 * docs/causes.md, generated from the catalogue so the documentation cannot drift from the rules
 * (tests/unit/classify/causes-doc.test.ts compares the two). Regenerate with
 * `npm run -s classify -- --causes-doc > docs/causes.md`.
 */
export function renderCausesDoc(): string {
  const out: string[] = [
    "# Causes",
    "",
    `<!-- Generated from lib/classify/catalogue.ts (catalogue version ${CATALOGUE_VERSION}) by \`npm run -s classify -- --causes-doc > docs/causes.md\`. Do not edit by hand: tests/unit/classify/causes-doc.test.ts fails when this file and the catalogue disagree. -->`,
    "",
    "Every failure realmwatch ingests (a Keycloak user event from the Admin REST API or a log, a denial in an HTTP",
    "access log, or a resource server's report) gets exactly one cause id from the list below, with the rule that",
    "decided it, a confidence between 0 and 1, and one sentence of evidence built from the event's own values.",
    "When several rules match, the most specific wins (exact reason over reason prefix over no reason, a context",
    "condition over none; see `SPECIFICITY` in lib/classify/rule.ts); ties go to the rule listed first.",
    `Cause ids are stable; rules change with the catalogue version (now ${CATALOGUE_VERSION}), which is stored with every verdict.`,
    "",
  ];
  for (const cause of CAUSE_IDS) {
    const rules = CATALOGUE.filter((rule) => rule.cause === cause);
    out.push(
      `## \`${cause}\`: ${CAUSES[cause].title}`,
      "",
      CAUSES[cause].summary,
      "",
      `Fix page: \`${fixPath(cause)}\``,
      "",
    );
    if (cause === "unknown") {
      out.push(
        "Given when no rule matches: unknown event types and errors from newer servers or extensions, and HTTP denials",
        "the catalogue cannot explain. The evidence keeps the raw type, error and reason.",
        "",
      );
    }
    if (rules.length === 0) continue;
    out.push(...table(["Rule", "Keycloak signal", "Confidence", "What it means"], rules.map(cells)), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function cells(rule: Rule): string[] {
  const note = rule.versionNote === undefined ? "" : ` _${rule.versionNote}_`;
  return [
    `\`${rule.id}\``,
    cell(describeMatch(rule.match)),
    rule.confidence.toFixed(2),
    cell(rule.evidence + note),
  ];
}

/** A table padded the way `biome format` writes Markdown, so formatting the file leaves it unchanged. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, i) =>
    Math.max(3, title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (row: string[]) => `| ${row.map((value, i) => value.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

export function describeMatch(match: RuleMatch): string {
  const parts: string[] = [];
  if (match.origin !== undefined) {
    const origins = typeof match.origin === "string" ? [match.origin] : match.origin;
    parts.push(`from ${origins.join(" or ")}`);
  }
  if (match.type !== undefined) parts.push(`type ${text(match.type)}`);
  if (match.error === null) parts.push("no error");
  else if (match.error !== undefined) parts.push(`error ${text(match.error)}`);
  if (match.reason === null) parts.push("no reason");
  else if (match.reason !== undefined) parts.push(`reason ${text(match.reason)}`);
  for (const [key, value] of Object.entries(match.details ?? {})) {
    parts.push(
      typeof value === "object" && "present" in value
        ? `detail \`${key}\` present`
        : `detail \`${key}\` ${text(value)}`,
    );
  }
  const http = match.http;
  if (http !== undefined) {
    if (http.method !== undefined) parts.push(describeMethods(http.method));
    if (http.status !== undefined)
      parts.push(`status ${typeof http.status === "number" ? http.status : http.status.join("/")}`);
    if (http.path !== undefined) parts.push(`path matching \`${http.path.source}\``);
    if (http.origin !== undefined)
      parts.push(http.origin ? "with an Origin header" : "without an Origin header");
  }
  if (match.report !== undefined) parts.push(`report verdict ${text(match.report)}`);
  if (match.condition !== undefined) parts.push(`when ${CONDITIONS[match.condition].describe}`);
  return parts.length === 0 ? "any failure" : parts.join(", ");
}

function describeMethods(method: "read" | "write" | readonly string[]): string {
  if (typeof method === "string") return `a ${method} method`;
  const everyButOptions = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
  if (method.length === everyButOptions.length && everyButOptions.every((m) => method.includes(m))) {
    return "any method but OPTIONS";
  }
  return `method ${method.join("/")}`;
}

function text(value: TextMatch): string {
  if (typeof value === "string") return `\`${value}\``;
  if (value instanceof RegExp) return `matching \`${value.source}\``;
  if (Array.isArray(value)) return value.map((v) => `\`${v}\``).join(" or ");
  return `starting \`${(value as { prefix: string }).prefix}\``;
}

function cell(value: string): string {
  return value.replaceAll("|", "\\|").replaceAll("\n", " ");
}

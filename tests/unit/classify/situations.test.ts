import { describe, expect, it } from "vitest";
import { CATALOGUE } from "@/lib/classify/catalogue";
import { classify, classifyUserEvent } from "@/lib/classify/classify";
import type { Classification } from "@/lib/classify/types";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { formatKeycloakEventLine } from "@/lib/logs/format-keycloak-event-line";
import { parseEventJson } from "@/lib/logs/parse-event-json";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { SITUATIONS, type Situation } from "@/testkit/situations";

const REALM_ID = "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13";
const TIME = Date.UTC(2025, 5, 3, 9, 14, 7, 321);

function userEvent(s: Situation): KeycloakUserEvent {
  const e = s.event;
  if (e === undefined) throw new Error(`${s.name} has no event`);
  return {
    time: TIME,
    type: e.type,
    realmId: REALM_ID,
    clientId: e.clientId ?? null,
    userId: e.userId ?? null,
    ipAddress: "203.0.113.24",
    error: e.error ?? null,
    details: e.details ?? null,
  };
}

function expectVerdict(s: Situation, verdict: Classification | null): void {
  expect(verdict?.cause).toBe(s.expect.cause);
  expect(verdict?.ruleId).toBe(s.expect.ruleId);
  if (s.expect.evidenceIncludes !== undefined) expect(verdict?.evidence).toContain(s.expect.evidenceIncludes);
}

/** What GET /admin/realms/{realm}/events returns (26.2+ adds id). */
function restForm(event: KeycloakUserEvent): string {
  const { realmName: _omitted, ...representation } = event;
  return JSON.stringify({ id: "0b0e8a52-54a3-4f0c-9d6c-1e1f0c7a7f55", ...representation });
}

/** A Quarkus-era (23.0.5+) console line: quoted values, realmName. */
function quotedLine(event: KeycloakUserEvent): string {
  const level = event.error == null ? "DEBUG" : "WARN ";
  const body = formatKeycloakEventLine({ ...event, realmName: "acme" }, "quoted");
  return `2025-06-03 09:14:07,321 ${level} [org.keycloak.events] (executor-thread-12) ${body}`;
}

/** A WildFly-era (before 23.0.5) console line: time only, bare values, spaced details in single quotes. */
function unquotedLine(event: KeycloakUserEvent): string {
  return `09:14:07,321 WARN  [org.keycloak.events] (default task-3) ${formatKeycloakEventLine(event, "unquoted")}`;
}

const withEvents = SITUATIONS.filter((s) => s.event !== undefined);
const withHttp = SITUATIONS.filter((s) => s.http !== undefined);

describe("every situation of the events reference, section 5 (a) to (n)", () => {
  it("has at least one case per situation letter", () => {
    const letters = new Set(SITUATIONS.map((s) => s.section));
    expect([...letters].sort().join("")).toBe("abcdefghijklmn");
  });

  it("exercises every rule of the catalogue (report rules are covered by the report tests)", () => {
    const used = new Set(SITUATIONS.map((s) => s.expect.ruleId));
    const unexercised = CATALOGUE.filter((rule) => !rule.id.startsWith("report-") && !used.has(rule.id));
    expect(unexercised.map((rule) => rule.id)).toEqual([]);
  });
});

describe.each(withEvents)("($section) $name", (s) => {
  const event = userEvent(s);

  it("API JSON form", () => {
    const [parsed] = parseEventJson(restForm(event)) ?? [];
    expect(parsed?.ok && parsed.kind).toBe("user");
    if (!parsed?.ok || parsed.kind !== "user") return;
    expect(parsed.event.details).toEqual(event.details);
    expectVerdict(s, classifyUserEvent(parsed.event, "api", s.context));
  });

  it("quoted log line (23.0.5 and later)", () => {
    const parsed = parseKeycloakEventLine(quotedLine(event), { timeZone: "UTC" });
    expect(parsed?.kind).toBe("user");
    if (parsed?.kind !== "user") return;
    expect(parsed.quoted).toBe(true);
    expect(parsed.loggedAt).toBe(TIME);
    expect(parsed.event.error).toBe(event.error);
    expect(parsed.event.details).toEqual(event.details);
    expectVerdict(s, classifyUserEvent(parsed.event, "log", s.context));
  });

  it("unquoted log line (before 23.0.5)", () => {
    const parsed = parseKeycloakEventLine(unquotedLine(event), { defaultDate: "2025-06-03" });
    expect(parsed?.kind).toBe("user");
    if (parsed?.kind !== "user") return;
    expect(parsed.quoted).toBe(false);
    expect(parsed.timeAssumption).toBe("date-assumed");
    expect(parsed.event.details).toEqual(event.details);
    expectVerdict(s, classifyUserEvent(parsed.event, "log", s.context));
  });
});

describe.each(withHttp)("($section) $name", (s) => {
  it("access-log denial", () => {
    expectVerdict(
      s,
      classify(
        { origin: "access-log", type: "HTTP_DENIAL", http: s.http, response: s.response ?? null },
        s.context,
      ),
    );
  });
});

import { describe, expect, it } from "vitest";
import type { AlertPattern } from "@/lib/alerts/alert-pattern";
import { decidePatternAlert } from "@/lib/alerts/decide-pattern-alert";
import { webhookPayload } from "@/lib/alerts/webhook-payload";

const NOW = new Date("2026-11-22T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

const pattern: AlertPattern = {
  id: "7b6f3c1e-0c55-4c1b-9f8e-2d1f7f3f9a10",
  realm: "acme",
  cause: "missing-role",
  scopeKind: "client",
  scopeValue: "orders-api",
  clientId: "orders-api",
  status: "open",
  firstSeen: minutesAgo(30),
  lastSeen: NOW,
  eventCount: 40,
  affectedUsers: 7,
  peakScore: 5.2,
};

describe("when a pattern alert is sent", () => {
  const cases: Array<[string, Partial<AlertPattern>, { eventCount: number; sentAt: Date } | null, string]> = [
    ["a new open pattern", {}, null, "opened"],
    ["a resolved pattern", { status: "resolved" }, null, "resolved"],
    [
      "a pattern that grew less than twofold",
      { eventCount: 70 },
      { eventCount: 40, sentAt: minutesAgo(60) },
      "not-escalated",
    ],
    [
      "a pattern that doubled, past the cooldown",
      { eventCount: 80 },
      { eventCount: 40, sentAt: minutesAgo(60) },
      "escalated",
    ],
    [
      "a pattern that doubled within the cooldown",
      { eventCount: 80 },
      { eventCount: 40, sentAt: minutesAgo(5) },
      "cooldown",
    ],
  ];
  for (const [name, change, last, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const d = decidePatternAlert({ ...pattern, ...change }, last, 900, NOW);
      expect(d.send ? d.trigger : d.why).toBe(expected);
    });
  }

  it("gives the same state the same dedupe key and a new doubling a new one", () => {
    const last = { eventCount: 40, sentAt: minutesAgo(60) };
    const a = decidePatternAlert({ ...pattern, eventCount: 80 }, last, 900, NOW);
    const b = decidePatternAlert({ ...pattern, eventCount: 90 }, last, 900, NOW);
    const c = decidePatternAlert({ ...pattern, eventCount: 170 }, last, 900, NOW);
    expect(a.send && b.send && a.dedupeKey === b.dedupeKey).toBe(true);
    expect(a.send && c.send && a.dedupeKey !== c.dedupeKey).toBe(true);
  });
});

describe("webhook bodies", () => {
  it("tells a Slack channel what, where, how many and links to the pattern", () => {
    const body = webhookPayload("slack", "opened", pattern, "https://rw.example.com");
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toContain(
      "New pattern: Missing role for client orders-api in realm acme: 40 failures, 7 users",
    );
    expect(body.text).toContain(`<https://rw.example.com/patterns/${pattern.id}|Open in realmwatch>`);
  });

  it("sends the pattern as JSON in the generic format", () => {
    const body = webhookPayload("generic", "escalated", pattern, undefined);
    expect(body).toMatchObject({
      event: "pattern.escalated",
      pattern: { id: pattern.id, cause: "missing-role", causeTitle: "Missing role", eventCount: 40 },
      url: null,
    });
  });

  it("escapes Slack's control characters in event-derived values (no <!channel>, no injected links)", () => {
    const hostile = { ...pattern, realm: "a&b", scopeValue: "<!channel> <https://evil.example|click>" };
    const text = String(webhookPayload("slack", "opened", hostile, undefined).text);
    expect(text).toContain("client &lt;!channel&gt; &lt;https://evil.example|click&gt; in realm a&amp;b");
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
  });

  it("names no user in either format when the pattern is one user's", () => {
    const userId = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
    const mine = { ...pattern, scopeKind: "user", scopeValue: userId };
    const slack = JSON.stringify(webhookPayload("slack", "opened", mine, "https://rw.example.com"));
    const generic = JSON.stringify(webhookPayload("generic", "opened", mine, undefined));
    expect(slack).toContain("one user in realm acme");
    for (const body of [slack, generic]) expect(body).not.toContain(userId);
  });
});

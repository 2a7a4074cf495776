import type { AlertPattern } from "@/lib/alerts/alert-pattern";

/**
 * When a pattern is worth a message, as data and one pure function:
 * - "opened": the first alert for an open or ongoing pattern;
 * - "escalated": its event count reached ESCALATION_FACTOR times the count last alerted.
 * Nothing is sent for resolved patterns, nor within the webhook's cooldown after the last alert for the same
 * pattern (a pattern that keeps escalating gets one message per cooldown, carrying the latest count).
 * The dedupe key names the pattern state, so two pollers racing on the same state send one message.
 */
export const ESCALATION_FACTOR = 2;

export interface LastAlert {
  eventCount: number;
  sentAt: Date;
}

export type AlertDecision =
  | { send: false; why: "resolved" | "cooldown" | "not-escalated" }
  | { send: true; trigger: "opened" | "escalated"; dedupeKey: string };

export function decidePatternAlert(
  pattern: AlertPattern,
  last: LastAlert | null,
  cooldownSec: number,
  now: Date,
): AlertDecision {
  if (pattern.status !== "open" && pattern.status !== "ongoing") return { send: false, why: "resolved" };
  if (!last) return { send: true, trigger: "opened", dedupeKey: `${pattern.id}:opened` };
  if (pattern.eventCount < last.eventCount * ESCALATION_FACTOR) return { send: false, why: "not-escalated" };
  if (now.getTime() - last.sentAt.getTime() < cooldownSec * 1000) return { send: false, why: "cooldown" };
  // One key per doubling level: the same level is never announced twice.
  const level = Math.floor(Math.log2(Math.max(1, pattern.eventCount)));
  return { send: true, trigger: "escalated", dedupeKey: `${pattern.id}:escalated:${level}` };
}

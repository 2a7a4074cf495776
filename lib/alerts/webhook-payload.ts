import type { AlertPattern, AlertTrigger } from "@/lib/alerts/alert-pattern";
import { CAUSES, isCauseId } from "@/lib/classify/causes";

/**
 * The two body formats: "slack" is `{text}` (Slack, Mattermost, Rocket.Chat and Teams workflows accept it),
 * "generic" is the pattern as JSON for any other receiver.
 */
export const WEBHOOK_FORMATS = ["slack", "generic"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const VERB: Record<AlertTrigger, string> = {
  opened: "New pattern",
  escalated: "Pattern escalating",
  test: "Test alert",
};

export function webhookPayload(
  format: WebhookFormat,
  trigger: AlertTrigger,
  pattern: AlertPattern,
  publicUrl: string | undefined,
): Record<string, unknown> {
  const link = publicUrl ? new URL(`/patterns/${encodeURIComponent(pattern.id)}`, publicUrl).href : null;
  if (format === "slack") return { text: slackText(trigger, pattern, link) };
  return {
    event: `pattern.${trigger}`,
    pattern: {
      ...pattern,
      causeTitle: causeTitle(pattern.cause),
      firstSeen: pattern.firstSeen.toISOString(),
      lastSeen: pattern.lastSeen.toISOString(),
    },
    url: link,
  };
}

function slackText(trigger: AlertTrigger, p: AlertPattern, link: string | null): string {
  const scope =
    p.scopeKind === "realm" ? `realm ${p.realm}` : `${p.scopeKind} ${p.scopeValue} in realm ${p.realm}`;
  const users = p.affectedUsers === 1 ? "1 user" : `${p.affectedUsers} users`;
  const text =
    `${VERB[trigger]}: ${causeTitle(p.cause)} for ${scope}: ${p.eventCount} failures, ${users}, ` +
    `since ${p.firstSeen.toISOString()}`;
  return link ? `${text}. <${link}|Open in realmwatch>` : text;
}

function causeTitle(cause: string): string {
  return isCauseId(cause) ? CAUSES[cause].title : cause;
}

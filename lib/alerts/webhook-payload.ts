import type { AlertPattern, AlertTrigger } from "@/lib/alerts/alert-pattern";
import { CAUSES, isCauseId } from "@/lib/classify/causes";

/**
 * The two body formats: "slack" is `{text}` (Slack, Mattermost, Rocket.Chat and Teams workflows accept it),
 * "generic" is the pattern as JSON for any other receiver. Alerts leave realmwatch for third parties, so a
 * pattern scoped to one user names no one (no user id: the link leads to realmwatch, where sign-in decides who
 * sees it), and every event-derived value in Slack's text is escaped (a client id such as `<!channel>` or
 * `<https://evil|click>` would otherwise notify the channel or become a link).
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
  const { scopeValue, ...rest } = pattern;
  return {
    event: `pattern.${trigger}`,
    pattern: {
      ...rest,
      ...(pattern.scopeKind === "user" ? {} : { scopeValue }),
      causeTitle: causeTitle(pattern.cause),
      firstSeen: pattern.firstSeen.toISOString(),
      lastSeen: pattern.lastSeen.toISOString(),
    },
    url: link,
  };
}

function slackText(trigger: AlertTrigger, p: AlertPattern, link: string | null): string {
  const realm = slackEscape(p.realm);
  const scope =
    p.scopeKind === "realm"
      ? `realm ${realm}`
      : p.scopeKind === "user"
        ? `one user in realm ${realm}`
        : `${slackEscape(p.scopeKind)} ${slackEscape(p.scopeValue)} in realm ${realm}`;
  const users = p.affectedUsers === 1 ? "1 user" : `${p.affectedUsers} users`;
  const text =
    `${VERB[trigger]}: ${slackEscape(causeTitle(p.cause))} for ${scope}: ${p.eventCount} failures, ${users}, ` +
    `since ${p.firstSeen.toISOString()}`;
  return link ? `${text}. <${link}|Open in realmwatch>` : text;
}

function causeTitle(cause: string): string {
  return isCauseId(cause) ? CAUSES[cause].title : cause;
}

/** Slack's escaping of message text (api.slack.com "Escaping text"): &, < and > are the control characters. */
export function slackEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

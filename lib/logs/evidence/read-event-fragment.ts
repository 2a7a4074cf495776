import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { emptyUserEvent } from "@/lib/logs/parse-keycloak-event-line";
import { splitEventFields } from "@/lib/logs/split-event-fields";

/**
 * A piece of an event line quoted in prose or cut short: `type=IDENTITY_PROVIDER_FIRST_LOGIN_ERROR,
 * error=invalid_user_credentials.`, or a tail without its type (`error=not_allowed, reason='client is not the
 * token holder', auth_method=token_exchange, ...`). The full-line parser refuses these (no realm, no events
 * logger); here an `error=` or an event `type=` is enough. The type, when absent, is left to the classifier.
 */
export interface EventFragment {
  event: KeycloakUserEvent;
  typeKnown: boolean;
}

const EVENT_TYPE = /^[A-Z][A-Z0-9_]{1,127}$/;
const FIELD_START = /(?:^|[\s,(|:\]"'`])((?:type|error|realmId|clientId|userId|reason)=)/;
const DROPPED = new Set(["cookies"]);

export function readEventFragment(text: string): EventFragment | null {
  const m = FIELD_START.exec(text);
  if (m === null || m[1] === undefined) return null;
  const start = m.index + m[0].length - m[1].length;
  const fields = splitEventFields(stripProse(text), start);
  const event = emptyUserEvent();
  let type: string | null = null;
  for (let i = 0; i < fields.keys.length; i++) {
    const key = fields.keys[i] as string;
    const raw = fields.values[i] as string;
    const value = key === "type" || key === "error" ? tidy(raw) : raw;
    const v = value === "" || value === "null" ? null : value;
    switch (key) {
      case "type":
        type ??= v;
        break;
      case "realmId":
        event.realmId = v;
        break;
      case "realmName":
        event.realmName = v;
        break;
      case "clientId":
        event.clientId = v;
        break;
      case "userId":
        event.userId = v;
        break;
      case "sessionId":
        event.sessionId = v;
        break;
      case "ipAddress":
        event.ipAddress = v;
        break;
      case "error":
        event.error = v;
        break;
      default:
        if (v !== null && !DROPPED.has(key)) {
          event.details ??= Object.create(null) as Record<string, string>;
          if (!(key in event.details)) event.details[key] = v;
        }
    }
  }
  const typeKnown = type !== null && EVENT_TYPE.test(type);
  if (!typeKnown && event.error === null) return null;
  const error = event.error ?? null;
  if (error !== null && !/^[a-z][a-z0-9_]{1,63}$/.test(error)) return null;
  event.type = typeKnown ? (type as string) : "";
  return { event, typeKnown };
}

/** Drops an ellipsis or closing prose after the last field (`..., ...`, `[..]`, a final full stop). */
function stripProse(text: string): string {
  return text
    .replace(/(?:,\s*)?(?:\.\.\.|…|\[\.\.\])\s*$/, "")
    .replace(/[`)]+\s*$/, "")
    .replace(/([\w'"])\.\s*$/, "$1");
}

/** A bare value quoted in prose ends with the sentence's full stop: `error=invalid_user_credentials.` */
function tidy(value: string): string {
  return value.replace(/[.;:)`]+$/, "");
}

import { showPersonal, showPersonalDetails } from "@/lib/http/personal-data";
import { causeTitle } from "./cause-title";
import { fixLink } from "./fix-link";
import type { UserEventRecord } from "./user-event-record";

export interface ClassificationView {
  cause: string;
  causeTitle: string;
  ruleId: string | null;
  confidence: number | null;
  evidence: string | null;
  /** The fix page filled in with this event's realm, client and user; null for an unknown cause id. */
  fixHref: string | null;
}

/** A user event as the dashboard and the JSON API show it: personal fields through showPersonal. */
export interface UserEventView extends Omit<UserEventRecord, "cause" | "ruleId" | "confidence" | "evidence"> {
  classification: ClassificationView | null;
}

export function userEventView(r: UserEventRecord): UserEventView {
  const { cause, ruleId, confidence, evidence, ...rest } = r;
  return {
    ...rest,
    username: showPersonal(r.username, "username"),
    ipAddress: showPersonal(r.ipAddress, "ip"),
    details: showPersonalDetails(r.details),
    classification: cause
      ? {
          cause,
          causeTitle: causeTitle(cause),
          ruleId,
          confidence,
          evidence,
          fixHref: fixLink({ cause, realm: r.realm, clientId: r.clientId, userId: r.userId }),
        }
      : null,
  };
}

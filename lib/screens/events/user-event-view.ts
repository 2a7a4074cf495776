import { maskPersonal, maskPersonalDetails } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import { causeTitle } from "@/lib/classify/cause-title";
import { fixLink } from "@/lib/fixes/fix-link";
import type { UserEventRecord } from "@/lib/queries/events/user-event-record";

export interface ClassificationView {
  cause: string;
  causeTitle: string;
  ruleId: string | null;
  confidence: number | null;
  evidence: string | null;
  /** The fix page filled in with this event's realm, client and user; null for an unknown cause id. */
  fixHref: string | null;
  /** The token analyzer with the realm and the API's requirements this failure carried. */
  tokenHref: string;
}

/** A user event as the dashboard and the JSON API show it: personal fields masked for the role. */
export interface UserEventView extends Omit<UserEventRecord, "cause" | "ruleId" | "confidence" | "evidence"> {
  classification: ClassificationView | null;
  /** For a copy (copyOf set): the explorer showing the event it copies. */
  copyOfHref: string | null;
}

/** Copies are within seconds of their event (lib/ingest/write/link-copies.ts); a minute either side finds it. */
const COPY_LINK_SPAN_MS = 60_000;

/** The explorer narrowed to one event of a source and realm, around a time. */
export function eventHref(e: { sourceId: string; realm: string; id: string; time: number }): string {
  const p = new URLSearchParams({
    source: e.sourceId,
    realm: e.realm,
    id: e.id,
    from: String(e.time - COPY_LINK_SPAN_MS),
    to: String(e.time + COPY_LINK_SPAN_MS),
  });
  return `/events?${p.toString()}`;
}

export function userEventView(r: UserEventRecord, role: Role): UserEventView {
  const { cause, ruleId, confidence, evidence, ...rest } = r;
  return {
    ...rest,
    username: maskPersonal(r.username, "username", role),
    ipAddress: maskPersonal(r.ipAddress, "ip", role),
    details: maskPersonalDetails(r.details, role),
    classification: cause
      ? {
          cause,
          causeTitle: causeTitle(cause),
          ruleId,
          confidence,
          evidence,
          fixHref: fixLink({
            cause,
            realm: r.realm,
            clientId: r.clientId,
            userId: r.userId,
            event: r.id,
            source: r.sourceId,
          }),
          tokenHref: `/token?${new URLSearchParams({ event: r.id, source: r.sourceId }).toString()}`,
        }
      : null,
    copyOfHref: r.copyOf ? eventHref({ ...r, id: r.copyOf }) : null,
  };
}

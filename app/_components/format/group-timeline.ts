/** What makes two timeline events "the same failure again": what happened, why, and through which client. */
export interface Repeatable {
  time: number;
  type: string;
  error: string | null;
  cause: string | null;
  clientId: string | null;
  isFailure: boolean;
}

export type Grouped<E, A> =
  | { kind: "event"; at: number; event: E }
  /** `count` identical events in a row; `newest` stands for them, `oldest` gives the run's start. */
  | { kind: "repeat"; at: number; count: number; newest: E; oldest: E }
  | { kind: "admin"; at: number; admin: A };

const sameKind = (a: Repeatable, b: Repeatable) =>
  a.type === b.type &&
  a.error === b.error &&
  a.cause === b.cause &&
  a.clientId === b.clientId &&
  a.isFailure === b.isFailure;

/**
 * A user's timeline, newest first, with runs of identical failures folded into one line ("200x LOGIN_ERROR
 * invalid_user_credentials, 10:02-14:55"). An admin change breaks a run, so it stays in place between the
 * failures before and after it: the one change that explains 200 failures is not buried under them.
 * Successes are never folded; a lone failure stays itself.
 */
export function groupTimeline<E extends Repeatable, A extends { time: number }>(
  events: readonly E[],
  admins: readonly A[],
): Grouped<E, A>[] {
  const merged = [
    ...events.map((event) => ({ at: event.time, event })),
    ...admins.map((admin) => ({ at: admin.time, admin })),
  ].sort((a, b) => b.at - a.at || ("admin" in a ? -1 : 1));
  const out: Grouped<E, A>[] = [];
  for (const item of merged) {
    if ("admin" in item) {
      out.push({ kind: "admin", at: item.at, admin: item.admin });
      continue;
    }
    const e = item.event;
    const last = out[out.length - 1];
    if (e.isFailure && last && last.kind !== "admin") {
      const head = last.kind === "event" ? last.event : last.newest;
      if (sameKind(head, e)) {
        out[out.length - 1] = {
          kind: "repeat",
          at: last.at,
          count: last.kind === "event" ? 2 : last.count + 1,
          newest: head,
          oldest: e,
        };
        continue;
      }
    }
    out.push({ kind: "event", at: item.at, event: e });
  }
  return out;
}

import type postgres from "postgres";
import { z } from "zod";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import { fixLink } from "@/lib/fixes/fix-link";
import { lookupUsernames, userKey } from "@/lib/queries/names/lookup-usernames";
import { getPatternDetail, type PatternDetail } from "@/lib/queries/patterns/pattern-detail";
import { AppError } from "@/lib/server/errors";
import { type QueryInput, queryRecord } from "@/lib/server/query-params";
import { timeZonePart } from "@/lib/time/time-params";
import { namedSuspect, type SuspectView, suspectViews } from "./name-patterns";

export interface PatternPage {
  detail: PatternDetail;
  timeZone: string;
  /** The pattern's fix page, filled in with its realm, client, user and id. */
  fixHref: string | null;
  /** Usernames of the users in the attribution, the samples and the scope of a user's pattern. */
  usernames: Record<string, string>;
  /** The suspected admin changes, top first, with the admins and the objects by name. */
  suspects: SuspectView[];
}

const querySchema = z.object({ tz: timeZonePart });

/** One pattern: its evidence, chart, attribution, suspected admin changes, samples and fix link. */
export async function loadPatternPage(
  sql: postgres.Sql,
  role: Role,
  id: string,
  input: QueryInput,
  now: number,
): Promise<PatternPage> {
  const { tz } = querySchema.parse(queryRecord(input));
  const detail = await getPatternDetail(sql, { id, timeZone: tz, now });
  if (!detail) throw new AppError("not_found", "No such pattern: it may have been merged or removed.");
  const p = detail.pattern;
  const userIds = [
    ...(p.scopeKind === "user" && p.scopeValue ? [p.scopeValue] : []),
    ...detail.attribution.user.contributors.map((c) => c.value),
    ...detail.samples.flatMap((s) => (s.userId ? [s.userId] : [])),
  ];
  const [found, [suspects = []]] = await Promise.all([
    lookupUsernames(
      sql,
      userIds.map((userId) => ({ sourceId: p.sourceId, realm: p.realm, userId })),
    ),
    suspectViews(sql, [{ sourceId: p.sourceId, realm: p.realm, suspects: p.suspectedChanges }], role),
  ]);
  const usernames = new Map(
    userIds.flatMap((userId) => {
      const name = found.get(userKey({ sourceId: p.sourceId, realm: p.realm, userId }));
      const shown = maskPersonal(name, "username", role);
      return shown ? [[userId, shown] as const] : [];
    }),
  );
  return {
    timeZone: tz,
    fixHref: fixLink({
      cause: p.cause,
      realm: p.realm,
      clientId: p.clientId,
      userId: p.userId,
      pattern: p.id,
    }),
    usernames: Object.fromEntries(usernames),
    suspects,
    detail: {
      ...detail,
      // Reasons spell out usernames: the API gets them as the page shows them.
      pattern: { ...p, suspectedChanges: p.suspectedChanges.map((s, i) => namedSuspect(s, suspects[i]!)) },
      attribution: {
        ...detail.attribution,
        ip: {
          ...detail.attribution.ip,
          contributors: detail.attribution.ip.contributors.map((c) => ({
            ...c,
            value: maskPersonal(c.value, "ip", role) ?? "",
          })),
        },
      },
      samples: detail.samples.map((s) => ({ ...s, ipAddress: maskPersonal(s.ipAddress, "ip", role) })),
    },
  };
}

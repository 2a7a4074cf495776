import type postgres from "postgres";
import { z } from "zod";
import { getPatternDetail, type PatternDetail } from "@/lib/analytics/queries/pattern-detail";
import { AppError } from "@/lib/errors";
import { enterViewerRole, requestViewerRole, showPersonal } from "@/lib/http/personal-data";
import { type QueryInput, queryRecord, timeZonePart } from "@/lib/http/query-params";
import { fixLink } from "../fix-link";
import { lookupUsernames, userKey } from "../lookup-usernames";

export interface PatternPage {
  detail: PatternDetail;
  timeZone: string;
  /** The pattern's fix page, filled in with its realm, client, user and id. */
  fixHref: string | null;
  /** Usernames of the users in the attribution and the samples. */
  usernames: Record<string, string>;
}

const querySchema = z.object({ tz: timeZonePart });

/** One pattern: its evidence, chart, attribution, suspected admin changes, samples and fix link. */
export async function loadPatternPage(
  sql: postgres.Sql,
  id: string,
  input: QueryInput,
  now: number,
): Promise<PatternPage> {
  enterViewerRole(await requestViewerRole());
  const { tz } = querySchema.parse(queryRecord(input));
  const detail = await getPatternDetail(sql, { id, timeZone: tz, now });
  if (!detail) throw new AppError("not_found", "No such pattern: it may have been merged or removed.");
  const p = detail.pattern;
  const userIds = [
    ...detail.attribution.user.contributors.map((c) => c.value),
    ...detail.samples.flatMap((s) => (s.userId ? [s.userId] : [])),
  ];
  const found = await lookupUsernames(
    sql,
    userIds.map((userId) => ({ sourceId: p.sourceId, realm: p.realm, userId })),
  );
  const usernames = new Map(
    userIds.flatMap((userId) => {
      const name = found.get(userKey({ sourceId: p.sourceId, realm: p.realm, userId }));
      const shown = showPersonal(name, "username");
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
    detail: {
      ...detail,
      attribution: {
        ...detail.attribution,
        ip: {
          ...detail.attribution.ip,
          contributors: detail.attribution.ip.contributors.map((c) => ({
            ...c,
            value: showPersonal(c.value, "ip") ?? "",
          })),
        },
      },
      samples: detail.samples.map((s) => ({ ...s, ipAddress: showPersonal(s.ipAddress, "ip") })),
    },
  };
}

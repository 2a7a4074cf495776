import { userIdIs } from "@/lib/db/user-hash";
import type { Db } from "@/lib/queries/filters";
import { likeLiteral } from "@/lib/queries/names/like-pattern";

/** `like` pattern of a literal prefix. */
const likePrefix = (s: string) => `${likeLiteral(s)}%`;

/**
 * Whether realmwatch ever heard of the realm: a source lists it, one of its streams syncs it, or its events were
 * rolled up (an imported log). Each test is an index lookup.
 */
export async function isKnownRealm(db: Db, realm: string): Promise<boolean> {
  const [row] = await db<{ known: boolean }[]>`
    select exists (select 1 from realms where name = ${realm})
        or exists (select 1 from sync_streams where realm = ${realm})
        or exists (select 1 from rollup_day where realm = ${realm}) as known`;
  return row?.known ?? false;
}

/**
 * Whether the realm has ever had an event, a name or an admin change of this user id (at any time, not only the
 * range), counting the events retention already summarized in user days.
 */
export async function isKnownUser(
  db: Db,
  p: { sourceId?: string; realm: string; userId: string },
): Promise<boolean> {
  const source = p.sourceId ? db`and source_id = ${p.sourceId}::uuid` : db``;
  const [row] = await db<{ known: boolean }[]>`
    select exists (select 1 from user_names where realm = ${p.realm} and user_id = ${p.userId} ${source})
        or exists (select 1 from user_events where realm = ${p.realm} and ${userIdIs(db, db`${p.userId}::text`)} ${source})
        or exists (select 1 from user_days where realm = ${p.realm} and user_id = ${p.userId} ${source})
        or exists (select 1 from admin_events where realm = ${p.realm} ${source}
                   and (resource_path like ${likePrefix(`users/${p.userId}`)}
                        or resource_path like ${likePrefix(`attack-detection/brute-force/users/${p.userId}`)}))
       as known`;
  return row?.known ?? false;
}

/** Whether the realm ever had a failure or a rolled-up event of this client id, or a source listed it. */
export async function isKnownClient(
  db: Db,
  p: { sourceId?: string; realm: string; clientId: string },
): Promise<boolean> {
  const source = p.sourceId ? db`and source_id = ${p.sourceId}::uuid` : db``;
  const [row] = await db<{ known: boolean }[]>`
    select exists (select 1 from user_events
                   where is_failure and realm = ${p.realm} and client_id = ${p.clientId} ${source})
        or exists (select 1 from rollup_day where realm = ${p.realm} and client_id = ${p.clientId} ${source})
        or exists (select 1 from realms where name = ${p.realm} ${source}
                   and client_ids @> ${db.json([p.clientId])})
       as known`;
  return row?.known ?? false;
}

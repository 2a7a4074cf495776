import type postgres from "postgres";
import { CATALOGUE_VERSION } from "@/lib/classify/catalogue";
import { type UserEventRow, userEventRowFromDb } from "@/lib/keycloak/event-rows";
import { classifyRow } from "./classify-row";
import { subtractRollups, upsertRollups } from "./rollup-batch";

/**
 * When the cause catalogue changes (CATALOGUE_VERSION goes up), stored failures are classified again, in
 * batches that each commit on their own and record how far they got, so the work resumes where it stopped and
 * never holds long locks. Rollups move each re-classified failure from its old cause to its new one.
 * New events arrive classified with the current catalogue, so one pass per catalogue version suffices.
 * Reports from resource servers keep their verdict (their token claims were not kept in full).
 */
const STATE_KEY = "reclassify";

interface Progress {
  version: number;
  /** Keyset position: everything before (time, source_id, realm, id) is done. */
  after: { time: string; sourceId: string; realm: string; id: string } | null;
  done: boolean;
}

export interface ReclassifyResult {
  version: number;
  examined: number;
  changed: number;
  done: boolean;
}

export async function reclassifyBatch(sql: postgres.Sql, batchSize = 5000): Promise<ReclassifyResult> {
  const [state] = await sql<{ value: Progress }[]>`select value from app_state where key = ${STATE_KEY}`;
  let progress: Progress = state?.value ?? { version: CATALOGUE_VERSION, after: null, done: false };
  if (progress.version !== CATALOGUE_VERSION)
    progress = { version: CATALOGUE_VERSION, after: null, done: false };
  if (progress.done) return { version: CATALOGUE_VERSION, examined: 0, changed: 0, done: true };

  const a = progress.after;
  const rows = await sql<Record<string, unknown>[]>`
    select source_id, realm, id, time, type, realm_id, client_id, user_id, session_id, ip_address, error, details,
           is_failure, username, cause, rule_id, confidence, evidence, catalogue_version, origin,
           http_method, http_path, http_status
    from user_events
    where is_failure and origin <> 'report'
      ${a ? sql`and (time, source_id, realm, id) > (${a.time}::timestamptz, ${a.sourceId}::uuid, ${a.realm}, ${a.id})` : sql``}
    order by time, source_id, realm, id
    limit ${batchSize}`;
  const last = rows[rows.length - 1];
  let changed = 0;
  await sql.begin(async (tx) => {
    const stale = rows.map(userEventRowFromDb).filter((r) => r.catalogueVersion !== CATALOGUE_VERSION);
    const updates: UserEventRow[] = [];
    const before: UserEventRow[] = [];
    for (const old of stale) {
      const next: UserEventRow = { ...old };
      classifyRow(next);
      next.catalogueVersion = CATALOGUE_VERSION;
      if (next.cause !== old.cause) before.push(old);
      updates.push(next);
    }
    if (updates.length > 0) {
      await tx`
        update user_events e set cause = u.cause, rule_id = u.rule_id, confidence = u.confidence,
               evidence = u.evidence, catalogue_version = ${CATALOGUE_VERSION}
        from unnest(${updates.map((r) => r.sourceId)}::uuid[], ${updates.map((r) => r.realm)}::text[],
                    ${updates.map((r) => new Date(r.time).toISOString())}::timestamptz[], ${updates.map((r) => r.id)}::text[],
                    ${updates.map((r) => r.cause)}::text[], ${updates.map((r) => r.ruleId)}::text[],
                    ${updates.map((r) => r.confidence)}::real[], ${updates.map((r) => r.evidence)}::text[])
             as u(source_id, realm, time, id, cause, rule_id, confidence, evidence)
        where e.source_id = u.source_id and e.realm = u.realm and e.time = u.time
          and e.id = u.id`;
      const moved = new Set(before.map((r) => `${r.sourceId}\u0001${r.realm}\u0001${r.id}`));
      const after = updates.filter((r) => moved.has(`${r.sourceId}\u0001${r.realm}\u0001${r.id}`));
      for (const [key, group] of groupByRealm(before)) {
        const [sourceId, realm] = key.split("\u0001") as [string, string];
        await subtractRollups(tx, sourceId, realm, group);
        await upsertRollups(tx, sourceId, realm, groupByRealm(after).get(key) ?? []);
      }
      changed = before.length;
    }
    const next: Progress = last
      ? {
          version: CATALOGUE_VERSION,
          after: {
            time: (last.time as Date).toISOString(),
            sourceId: last.source_id as string,
            realm: last.realm as string,
            id: last.id as string,
          },
          done: rows.length < batchSize,
        }
      : { version: CATALOGUE_VERSION, after: progress.after, done: true };
    await tx`
      insert into app_state (key, value, updated_at) values (${STATE_KEY}, ${tx.json(next as never)}, now())
      on conflict (key) do update set value = excluded.value, updated_at = now()`;
    progress = next;
  });
  return { version: CATALOGUE_VERSION, examined: rows.length, changed, done: progress.done };
}

function groupByRealm(rows: UserEventRow[]): Map<string, UserEventRow[]> {
  const map = new Map<string, UserEventRow[]>();
  for (const r of rows) {
    const key = `${r.sourceId}\u0001${r.realm}`;
    const list = map.get(key) ?? [];
    list.push(r);
    map.set(key, list);
  }
  return map;
}

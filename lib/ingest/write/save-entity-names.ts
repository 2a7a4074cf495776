import type { EntityNameEntry } from "@/lib/analytics/admin-names";
import { type Db, iso } from "@/lib/queries/filters";

/** Remembers names; a newer sighting replaces the name (a rename), an older one never does. */
export async function saveEntityNames(
  db: Db,
  sourceId: string,
  realm: string,
  entries: readonly EntityNameEntry[],
  seenAt: number,
): Promise<void> {
  const unique = [...new Map(entries.map((e) => [`${e.kind}\u0000${e.id}`, e])).values()];
  if (unique.length === 0) return;
  await db`
    insert into entity_names (source_id, realm, kind, id, name, seen_at)
    select ${sourceId}::uuid, ${realm}, k, i, n, ${iso(seenAt)}::timestamptz
    from unnest(${unique.map((e) => e.kind)}::text[], ${unique.map((e) => e.id)}::text[],
                ${unique.map((e) => e.name)}::text[]) as t(k, i, n)
    on conflict (source_id, realm, kind, id) do update set name = excluded.name, seen_at = excluded.seen_at
      where entity_names.seen_at <= excluded.seen_at`;
}

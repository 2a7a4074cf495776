import type postgres from "postgres";

export interface SourceOption {
  id: string;
  name: string;
}

export interface RealmOption {
  sourceId: string;
  sourceName: string;
  realm: string;
}

/** The sources and realms the pickers offer: every configured source and every realm seen or configured. */
export async function listRealmOptions(
  sql: postgres.Sql,
): Promise<{ sources: SourceOption[]; realms: RealmOption[] }> {
  const [sources, realms] = await Promise.all([
    sql<SourceOption[]>`select id, name from sources order by name`,
    sql<{ source_id: string; source_name: string; realm: string }[]>`
      select r.source_id, s.name as source_name, r.name as realm
      from realms r join sources s on s.id = r.source_id
      union
      select st.source_id, s.name, st.realm from sync_streams st join sources s on s.id = st.source_id
      order by realm, source_name`,
  ]);
  return {
    sources,
    realms: realms.map((r) => ({ sourceId: r.source_id, sourceName: r.source_name, realm: r.realm })),
  };
}

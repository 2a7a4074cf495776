import type { RealmOption, SourceOption } from "@/lib/queries/list-realm-options";

/** Source and realm pickers. A realm name may exist on several sources: the source picker narrows it. */
export function RealmFields({
  sources,
  realms,
  sourceId,
  realm,
}: {
  sources: SourceOption[];
  realms: RealmOption[];
  sourceId: string | null;
  realm: string | null;
}) {
  const names = [...new Set(realms.map((r) => r.realm))];
  if (realm && !names.includes(realm)) names.unshift(realm);
  return (
    <>
      {sources.length > 1 || sourceId ? (
        <div className="field">
          <label htmlFor="f-source">Source</label>
          <select id="f-source" name="source" defaultValue={sourceId ?? ""}>
            <option value="">All sources</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="f-realm">Realm</label>
        <select id="f-realm" name="realm" defaultValue={realm ?? ""}>
          <option value="">All realms</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

import type { RealmOption, SourceOption } from "@/lib/queries/list-realm-options";
import { SelectField } from "./filter-fields";

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
        <SelectField
          name="source"
          label="Source"
          value={sourceId ?? ""}
          choices={[
            { value: "", label: "All sources" },
            ...sources.map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
      ) : null}
      <SelectField
        name="realm"
        label="Realm"
        value={realm ?? ""}
        choices={[{ value: "", label: "All realms" }, ...names.map((name) => ({ value: name, label: name }))]}
      />
    </>
  );
}

import type { PatternSort } from "@/lib/queries/patterns/list-patterns";
import { CauseField, FilterActions, FilterForm, type FilterProps, SelectField } from "./filter-fields";
import { RealmFields } from "./realm-fields";

/** The status choices: a value with commas is several `status` values (see many() in lib/server/query-params). */
export const STATUS_CHOICES = [
  { value: "", label: "Open and ongoing" },
  { value: "open", label: "Open" },
  { value: "ongoing", label: "Ongoing" },
  { value: "resolved", label: "Resolved" },
  { value: "open,ongoing,resolved", label: "All" },
] as const;

export const SORT_LABELS: Record<PatternSort, string> = {
  impact: "Impact",
  start: "Start, newest first",
  "last-seen": "Last seen",
  failures: "Failures",
};

const SORT_CHOICES = (Object.keys(SORT_LABELS) as PatternSort[]).map((s) => ({
  value: s,
  label: SORT_LABELS[s],
}));

/** The Patterns page's filters and sort as a GET form: all kept in the URL. */
export function PatternFilters({ params, timeZone, options }: FilterProps) {
  const status = params.getAll("status").join(",");
  const knownStatus = STATUS_CHOICES.some((c) => c.value === status);
  return (
    <FilterForm action="/patterns" testId="pattern-filters" timeZone={timeZone}>
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <CauseField params={params} />
      <SelectField name="status" label="Status" value={status} choices={STATUS_CHOICES}>
        {knownStatus ? null : <option value={status}>{status.replaceAll(",", ", ")}</option>}
      </SelectField>
      <SelectField
        name="sort"
        label="Sort by"
        value={params.get("sort") ?? "impact"}
        choices={SORT_CHOICES}
      />
      <FilterActions submit="Apply" reset={`/patterns?tz=${encodeURIComponent(timeZone)}`} />
    </FilterForm>
  );
}

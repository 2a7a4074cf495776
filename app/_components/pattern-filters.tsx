import { CAUSE_IDS, CAUSES } from "@/lib/classify/causes";
import type { RealmOption, SourceOption } from "@/lib/queries/list-realm-options";
import type { PatternSort } from "@/lib/queries/patterns/list-patterns";
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

/** The Patterns page's filters and sort as a GET form: all kept in the URL. */
export function PatternFilters({
  params,
  timeZone,
  options,
}: {
  params: URLSearchParams;
  timeZone: string;
  options: { sources: SourceOption[]; realms: RealmOption[] };
}) {
  const status = params.getAll("status").join(",");
  const knownStatus = STATUS_CHOICES.some((c) => c.value === status);
  return (
    <form method="get" action="/patterns" className="filters" data-testid="pattern-filters">
      <input type="hidden" name="tz" value={timeZone} />
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <div className="field">
        <label htmlFor="f-cause">Cause</label>
        <select id="f-cause" name="cause" defaultValue={params.get("cause") ?? ""}>
          <option value="">Any cause</option>
          {CAUSE_IDS.map((id) => (
            <option key={id} value={id}>
              {CAUSES[id].title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-status">Status</label>
        <select id="f-status" name="status" defaultValue={status}>
          {knownStatus ? null : <option value={status}>{status.replaceAll(",", ", ")}</option>}
          {STATUS_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-sort">Sort by</label>
        <select id="f-sort" name="sort" defaultValue={params.get("sort") ?? "impact"}>
          {(Object.keys(SORT_LABELS) as PatternSort[]).map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Apply
        </button>
        <a href={`/patterns?tz=${encodeURIComponent(timeZone)}`}>Reset</a>
      </div>
    </form>
  );
}

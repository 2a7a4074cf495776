import type { RealmOption, SourceOption } from "@/lib/queries/list-realm-options";
import { RangeFields } from "./range-fields";
import { RealmFields } from "./realm-fields";

/** The overview's pickers as a GET form: source, realm, time, bucket, comparison; all kept in the URL. */
export function OverviewFilters({
  params,
  timeZone,
  options,
}: {
  params: URLSearchParams;
  timeZone: string;
  options: { sources: SourceOption[]; realms: RealmOption[] };
}) {
  return (
    <form method="get" action="/" className="filters" data-testid="overview-filters">
      <input type="hidden" name="tz" value={timeZone} />
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <RangeFields params={params} timeZone={timeZone} />
      <div className="field">
        <label htmlFor="f-bucket">Bucket</label>
        <select id="f-bucket" name="bucket" defaultValue={params.get("bucket") ?? ""}>
          <option value="">By span</option>
          <option value="minute">Minute</option>
          <option value="hour">Hour</option>
          <option value="day">Day</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-compare">Compare</label>
        <select id="f-compare" name="compare" defaultValue={params.get("compare") ?? "on"}>
          <option value="on">Previous period</option>
          <option value="off">None</option>
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Apply
        </button>
        <a href={`/?tz=${encodeURIComponent(timeZone)}`}>Reset</a>
      </div>
    </form>
  );
}

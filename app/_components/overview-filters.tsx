import { FilterActions, FilterForm, type FilterProps, SelectField } from "./filter-fields";
import { RangeFields } from "./range-fields";
import { RealmFields } from "./realm-fields";

const BUCKET_CHOICES = [
  { value: "", label: "By span" },
  { value: "minute", label: "Minute" },
  { value: "hour", label: "Hour" },
  { value: "day", label: "Day" },
];
const COMPARE_CHOICES = [
  { value: "on", label: "Previous period" },
  { value: "off", label: "None" },
];

/** The overview's pickers as a GET form: source, realm, time, bucket, comparison; all kept in the URL. */
export function OverviewFilters({ params, timeZone, options }: FilterProps) {
  return (
    <FilterForm action="/" testId="overview-filters" timeZone={timeZone}>
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <RangeFields params={params} timeZone={timeZone} />
      <SelectField name="bucket" label="Bucket" value={params.get("bucket") ?? ""} choices={BUCKET_CHOICES} />
      <SelectField
        name="compare"
        label="Compare"
        value={params.get("compare") ?? "on"}
        choices={COMPARE_CHOICES}
      />
      <FilterActions submit="Apply" reset={`/?tz=${encodeURIComponent(timeZone)}`} />
    </FilterForm>
  );
}

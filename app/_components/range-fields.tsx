import { formatInstantInput } from "@/lib/time/format";
import { DEFAULT_PRESET, RANGE_PRESETS } from "@/lib/time/time-range";
import { isTimeZone } from "@/lib/time/zoned-time";
import { SelectField, TextField } from "./filter-fields";

const RANGE_CHOICES = [
  ...Object.entries(RANGE_PRESETS).map(([id, p]) => ({ value: id, label: p.label })),
  { value: "", label: "Custom (from / to)" },
];

const EPOCH_MS = /^\d{10,15}$/;

/** A From/To value as the field shows it: epoch milliseconds (links from patterns) on the viewer's clock. */
function readable(value: string, timeZone: string, edge: "start" | "end"): string {
  return EPOCH_MS.test(value) && isTimeZone(timeZone)
    ? formatInstantInput(Number(value), timeZone, edge)
    : value;
}

/** The time fields of a filter form: a preset, or a custom from/to typed on the viewer's clock (end inclusive). */
export function RangeFields({ params, timeZone }: { params: URLSearchParams; timeZone: string }) {
  const from = readable(params.get("from") ?? "", timeZone, "start");
  const to = readable(params.get("to") ?? "", timeZone, "end");
  const preset = from || to ? "" : (params.get("range") ?? DEFAULT_PRESET);
  return (
    <>
      <SelectField name="range" label="Time" value={preset} choices={RANGE_CHOICES} />
      <TextField name="from" label="From" value={from} placeholder="yyyy-MM-dd" describedBy="f-range-hint" />
      <TextField
        name="to"
        label="To (inclusive)"
        value={to}
        placeholder="yyyy-MM-dd"
        describedBy="f-range-hint"
      />
      <p className="hint range-hint" id="f-range-hint">
        From and to override the preset: yyyy-MM-dd or yyyy-MM-ddTHH:mm in {timeZone}; the end day or minute
        is included.
      </p>
    </>
  );
}

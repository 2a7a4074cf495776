import { DEFAULT_PRESET, RANGE_PRESETS } from "@/lib/time/time-range";

/** The time fields of a filter form: a preset, or a custom from/to typed on the viewer's clock (end inclusive). */
export function RangeFields({ params, timeZone }: { params: URLSearchParams; timeZone: string }) {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const preset = from || to ? "" : (params.get("range") ?? DEFAULT_PRESET);
  return (
    <>
      <div className="field">
        <label htmlFor="f-range">Time</label>
        <select id="f-range" name="range" defaultValue={preset}>
          {Object.entries(RANGE_PRESETS).map(([id, p]) => (
            <option key={id} value={id}>
              {p.label}
            </option>
          ))}
          <option value="">Custom (from / to)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-from">From</label>
        <input
          id="f-from"
          name="from"
          defaultValue={from}
          placeholder="yyyy-MM-dd"
          aria-describedby="f-range-hint"
        />
      </div>
      <div className="field">
        <label htmlFor="f-to">To (inclusive)</label>
        <input
          id="f-to"
          name="to"
          defaultValue={to}
          placeholder="yyyy-MM-dd"
          aria-describedby="f-range-hint"
        />
      </div>
      <p className="hint range-hint" id="f-range-hint">
        From and to override the preset: yyyy-MM-dd or yyyy-MM-ddTHH:mm in {timeZone}; the end day or minute
        is included.
      </p>
    </>
  );
}

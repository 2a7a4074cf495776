import { hrefWith } from "@/app/_components/format/href-with";
import { DEFAULT_PRESET, RANGE_PRESETS } from "@/lib/time/time-range";

/** One-click date presets that keep every other filter in the URL. */
export function PresetLinks({
  path,
  params,
  fallback = DEFAULT_PRESET,
}: {
  path: string;
  params: URLSearchParams;
  fallback?: string;
}) {
  const current = params.has("from") || params.has("to") ? null : (params.get("range") ?? fallback);
  return (
    <nav aria-label="Date presets">
      <ul className="presets">
        {Object.entries(RANGE_PRESETS).map(([id, p]) => (
          <li key={id}>
            <a
              href={hrefWith(path, params, { range: id, from: null, to: null, after: null, before: null })}
              aria-current={current === id ? "true" : undefined}
            >
              {p.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

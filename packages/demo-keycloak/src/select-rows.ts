import type { EventColumns } from "./event-columns";
import type { EventQuerySpec } from "./event-query";
import type { Prng } from "./prng";

function likeToRegExp(pattern: string): RegExp {
  let src = "";
  for (const ch of pattern) {
    if (ch === "%") src += "[\\s\\S]*";
    else if (ch === "_") src += "[\\s\\S]";
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

interface Predicate {
  col: Uint32Array;
  code: number;
  mask: Uint8Array | null;
}

/** The spec's filters as code comparisons, or null when a filter can match nothing. */
function compile(columns: EventColumns, spec: EventQuerySpec): Predicate[] | null {
  const preds: Predicate[] = [];
  for (const { column, value } of spec.equals) {
    const c = columns.column(column);
    const code = columns.dicts[c]!.find(value);
    if (code < 0) return null;
    preds.push({ col: columns.codes[c]!, code, mask: null });
  }
  const masked = (column: string, test: (v: string) => boolean): Predicate => {
    const c = columns.column(column);
    const dict = columns.dicts[c]!;
    const mask = new Uint8Array(dict.size);
    for (let i = 1; i < dict.size; i++) if (test(dict.values[i]!)) mask[i] = 1;
    return { col: columns.codes[c]!, code: -1, mask };
  };
  for (const { column, values } of spec.anyOf) {
    const set = new Set(values);
    preds.push(masked(column, (v) => set.has(v)));
  }
  for (const { column, pattern } of spec.like) {
    const re = likeToRegExp(pattern);
    preds.push(masked(column, (v) => re.test(v)));
  }
  return preds;
}

function shuffleTieRuns(rows: number[], time: Float64Array, rng: Prng): void {
  let start = 0;
  while (start < rows.length) {
    let end = start + 1;
    const t = time[rows[start]!]!;
    while (end < rows.length && time[rows[end]!] === t) end++;
    for (let i = end - 1; i > start; i--) {
      const j = start + rng.int(i - start + 1);
      const tmp = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = tmp;
    }
    start = end;
  }
}

/**
 * The rows JpaEventQuery would return: ORDER BY time only, then OFFSET first LIMIT max. With
 * `unstableTies`, rows sharing a millisecond come back in a different order on each call, as a database
 * without a tie-breaker is free to do; the shuffle covers whole tie runs, so a run that straddles a page
 * boundary can lose or repeat rows between two page requests, exactly the hazard a sync must survive.
 */
export function selectRows(columns: EventColumns, spec: EventQuerySpec, unstableTies: Prng | null): number[] {
  const preds = compile(columns, spec);
  if (preds === null || spec.max === 0) return [];
  const lo = spec.from === null ? 0 : columns.lowerBound(spec.from);
  const hi = spec.to === null ? columns.length : columns.upperBound(spec.to);
  if (lo >= hi) return [];
  const asc = spec.order === "asc";
  const limit = spec.max < 0 ? Number.POSITIVE_INFINITY : spec.max;
  const time = columns.time;
  const matches = (r: number): boolean => {
    for (const p of preds) {
      const v = p.col[r]!;
      if (p.mask ? p.mask[v] !== 1 : v !== p.code) return false;
    }
    return true;
  };

  let r = asc ? lo : hi - 1;
  const step = asc ? 1 : -1;
  const inRange = (x: number) => x >= lo && x < hi;
  let lead: number[] = [];

  if (preds.length === 0) {
    // Unfiltered: jump straight to the offset.
    r = asc ? lo + spec.first : hi - 1 - spec.first;
    if (!inRange(r)) return [];
    if (unstableTies) {
      let b = r - step;
      while (inRange(b) && time[b] === time[r]) {
        lead.push(b);
        b -= step;
      }
      lead = lead.reverse();
    }
  } else {
    let skipped = 0;
    while (skipped < spec.first && inRange(r)) {
      if (matches(r)) {
        if (unstableTies) {
          if (lead.length > 0 && time[lead[0]!] !== time[r]) lead = [];
          lead.push(r);
        }
        skipped++;
      }
      r += step;
    }
  }

  const out: number[] = [];
  for (; inRange(r); r += step) {
    if (preds.length > 0 && !matches(r)) continue;
    if (out.length >= limit) {
      if (!unstableTies || time[r] !== time[out[out.length - 1]!]) break;
    }
    out.push(r);
  }
  if (!unstableTies) return out;
  if (lead.length > 0 && out.length > 0 && time[lead[lead.length - 1]!] !== time[out[0]!]) lead = [];
  const all = lead.concat(out);
  shuffleTieRuns(all, time, unstableTies);
  return all.slice(lead.length, lead.length + Math.min(limit, out.length));
}

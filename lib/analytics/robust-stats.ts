/** Median and median absolute deviation: location and spread that one wild value cannot drag. */

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  const center = median(values);
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i]! - center);
  return median(deviations);
}

/** Insertion sort for the handful of weekly samples; a native numeric sort for longer windows. */
function sortedCopy(values: ArrayLike<number>): ArrayLike<number> {
  if (values.length > 16) return Float64Array.from(values).sort();
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let j = out.length;
    while (j > 0 && out[j - 1]! > v) j--;
    out.splice(j, 0, v);
  }
  return out;
}

/** MAD times 1.4826 estimates the standard deviation of normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

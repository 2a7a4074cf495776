/**
 * Whether the first bytes of an upload are not a text log (an archive, an image, a database file), so the
 * import can refuse it at once instead of reporting every line as unreadable. Gzip is text for this purpose:
 * readLines decompresses it. A few control characters are tolerated: one hostile line near the top of a real
 * log must not make the whole file refused (readLines skips such lines with their numbers).
 */
const GZIP = [0x1f, 0x8b] as const;
/** Share of control bytes above which a sample is binary; real log text has none but tabs and ESC. */
const MAX_CONTROL_SHARE = 0.1;

export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length >= 2 && sample[0] === GZIP[0] && sample[1] === GZIP[1]) return false;
  let control = 0;
  for (const byte of sample) {
    const allowed = byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x1b;
    if ((byte < 0x20 && !allowed) || byte === 0x7f) control++;
  }
  return sample.length > 0 && control / sample.length > MAX_CONTROL_SHARE;
}

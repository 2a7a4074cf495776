/**
 * PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL, and backslash, newline, carriage
 * return and tab escaped. Values were already made storable (no NUL) by rows.ts.
 */
const NEEDS_ESCAPE = /[\\\n\r\t]/;

export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value !== "string") return String(value);
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = "";
  for (const ch of value) {
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return out;
}

export function copyLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += "\t";
    line += copyValue(values[i]);
  }
  return `${line}\n`;
}

/**
 * The COPY text of a batch as flat strings of about 256 KB (array join builds them flat; a string grown by
 * concatenation is a tree of pieces, and a tree kept alive across a transaction's round trips is costly
 * garbage), with where each row's line ends, so the rows found already stored can be left out.
 */
export interface CopyChunks {
  chunks: string[];
  /** Per row: its chunk, and the offset just past its line in that chunk. */
  chunkOf: Uint32Array;
  end: Uint32Array;
}

const CHUNK_CHARS = 262_144;

export function copyChunks(lines: ReadonlyArray<string>): CopyChunks {
  const chunks: string[] = [];
  const chunkOf = new Uint32Array(lines.length);
  const end = new Uint32Array(lines.length);
  let pending: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    pending.push(line);
    length += line.length;
    chunkOf[i] = chunks.length;
    end[i] = length;
    if (length >= CHUNK_CHARS) {
      chunks.push(pending.join(""));
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) chunks.push(pending.join(""));
  return { chunks, chunkOf, end };
}

/** The text of the rows `keep` allows. */
export function keepRows(text: CopyChunks, keep: (row: number) => boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < text.end.length; i++) {
    if (!keep(i)) continue;
    const start = i > 0 && text.chunkOf[i - 1] === text.chunkOf[i] ? text.end[i - 1]! : 0;
    kept.push(text.chunks[text.chunkOf[i]!]!.slice(start, text.end[i]));
  }
  return copyChunks(kept).chunks;
}

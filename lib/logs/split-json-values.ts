export type JsonPiece = { kind: "value"; text: string; offset: number } | { kind: "garbage"; offset: number };

/**
 * Splits text holding several top-level JSON objects or arrays (JSON lines, or pretty-printed objects
 * pasted one after another) by bracket depth, honouring strings and escapes. It does not validate: each
 * piece still goes through JSON.parse. Text outside any value becomes one "garbage" piece per run.
 */
export function* splitJsonValues(text: string): Generator<JsonPiece> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === " " || c === "\n" || c === "\r" || c === "\t" || c === ",") {
      i++;
      continue;
    }
    if (c !== "{" && c !== "[") {
      yield { kind: "garbage", offset: i };
      i = nextValueStart(text, i);
      continue;
    }
    const end = valueEnd(text, i);
    yield { kind: "value", text: text.slice(i, end), offset: i };
    i = end;
  }
}

/** The index after the value opening at `start`, or the end of the text if it never closes. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** The next line that starts (after indentation) with `{` or `[`. */
function nextValueStart(text: string, from: number): number {
  let i = text.indexOf("\n", from);
  while (i !== -1) {
    let j = i + 1;
    while (text[j] === " " || text[j] === "\t" || text[j] === "\r") j++;
    if (text[j] === "{" || text[j] === "[") return j;
    i = text.indexOf("\n", j);
  }
  return text.length;
}

import { APOSTROPHE, BACKSLASH, COMMA, EQUALS, OPEN_BRACKET, QUOTE, SPACE } from "@/lib/logs/char-codes";

/**
 * Splits the `key=value, key=value` body of a jboss-logging event line into fields.
 *
 * The listener has written three value styles (JBossLoggingEventListenerProvider):
 * - 23.0.5 and later: every value in quotes (`"` by default, configurable), with the quote character
 *   escaped as `\"` and whitespace folded to spaces; the backslash itself is not escaped.
 * - before 23.0.5: bare values, except detail values containing a space, which were wrapped in single
 *   quotes without any escaping (`reason='Invalid token issuer. Expected 'x''`).
 * - TRACE adds `cookies=[a, b]`.
 * Values are untrusted: a fragment cut short, a value holding `, ` or a stray quote must not derail the
 * fields that follow.
 */
export interface EventFields {
  /** Field names in line order, parallel to `values`; a repeated name appears twice. */
  keys: string[];
  values: string[];
  /** True when the line used quoted values (Keycloak 23.0.5 and later, default settings). */
  quoted: boolean;
  /** True when something could not be read and was skipped (a truncated or pasted-over fragment). */
  damaged: boolean;
}

export function splitEventFields(body: string, start = 0): EventFields {
  const keys: string[] = [];
  const values: string[] = [];
  let quoted = false;
  let damaged = false;
  let pos = start;
  const end = body.length;
  // A line without any backslash has nothing to unescape: one scan instead of one per value.
  const escaped = body.indexOf("\\", start) !== -1;
  // The `=` of the key at `pos` when the search for the separator already read that key (-1: not read):
  // each key is read once, not once to find it and again to take it.
  let knownKeyEnd = -1;

  while (pos < end) {
    const keyEnd = knownKeyEnd !== -1 ? knownKeyEnd : readKey(body, pos);
    knownKeyEnd = -1;
    if (keyEnd === -1) {
      const next = findNextField(body, pos);
      if (next === -1) {
        damaged = true;
        break;
      }
      damaged = true;
      pos = next;
      knownKeyEnd = foundKeyEnd;
      continue;
    }
    const key = body.slice(pos, keyEnd);
    const valueStart = keyEnd + 1;
    const first = body.charCodeAt(valueStart);
    let value: string;
    let after: number;

    if (first === QUOTE) {
      quoted = true;
      const close = findDoubleQuoteClose(body, valueStart + 1);
      if (close === -1) {
        value = body.slice(valueStart + 1);
        if (escaped) value = unescapeQuotes(value, '"');
        damaged = true;
        after = end;
      } else {
        value = body.slice(valueStart + 1, close);
        if (escaped) value = unescapeQuotes(value, '"');
        after = close + 1;
      }
    } else if (first === APOSTROPHE) {
      // A quoted first field means `--spi-events-listener-jboss-logging-quotes='` rather than the old style.
      if (pos === start) quoted = true;
      const close = findApostropheClose(body, valueStart + 1);
      if (close === -1) {
        value = body.slice(valueStart + 1);
        damaged = true;
        after = end;
      } else {
        const inner = body.slice(valueStart + 1, close);
        // A configured `quotes='` escapes like `"`; the pre-23.0.5 wrapping did not escape at all.
        value = quoted && escaped ? unescapeQuotes(inner, "'") : inner;
        after = close + 1;
      }
    } else if (first === OPEN_BRACKET) {
      const close = findBracketClose(body, valueStart + 1);
      value = close === -1 ? body.slice(valueStart) : body.slice(valueStart, close + 1);
      after = close === -1 ? end : close + 1;
    } else {
      const next = findNextField(body, valueStart);
      value =
        next === -1 ? trimEnd(body.slice(valueStart)) : body.slice(valueStart, separatorStart(body, next));
      keys.push(key);
      values.push(value);
      if (next === -1) break;
      pos = next;
      knownKeyEnd = foundKeyEnd;
      continue;
    }

    keys.push(key);
    values.push(value);
    pos = skipSeparator(body, after);
    if (pos === -1) {
      damaged = true;
      const next = findNextField(body, after);
      if (next === -1) break;
      pos = next;
    }
    knownKeyEnd = pos < end ? foundKeyEnd : -1;
  }
  return { keys, values, quoted, damaged };
}

// Field-name characters: 2 for those that may start a name ([A-Za-z_]), 1 for the others ([0-9.-]).
const KEY_CHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) KEY_CHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) KEY_CHAR[c] = 2;
for (let c = 0x61; c <= 0x7a; c++) KEY_CHAR[c] = 2;
KEY_CHAR[0x5f] = 2;
KEY_CHAR[0x2e] = 1;
KEY_CHAR[0x2d] = 1;

/** The `=` of the key last found by keyStartsAt (read only right after it returned true). */
let foundKeyEnd = -1;

/** The index of the `=` ending a key that starts at `pos`, or -1 if no key starts there. */
function readKey(body: string, pos: number): number {
  if (KEY_CHAR[body.charCodeAt(pos)] !== 2) return -1;
  const limit = Math.min(body.length, pos + 128);
  for (let i = pos + 1; i < limit; i++) {
    const c = body.charCodeAt(i);
    if (c === EQUALS) return i;
    if (!(KEY_CHAR[c] as number)) return -1;
  }
  return -1;
}

/** True when a new `key=` starts at `pos`; its `=` is then in foundKeyEnd. */
function keyStartsAt(body: string, pos: number): boolean {
  foundKeyEnd = readKey(body, pos);
  return foundKeyEnd !== -1;
}

/** The start of the next `, key=` (or `,key=`) after `from`, pointing at the key; -1 if none. */
function findNextField(body: string, from: number): number {
  let comma = body.indexOf(",", from);
  while (comma !== -1) {
    let keyPos = comma + 1;
    while (body.charCodeAt(keyPos) === SPACE) keyPos++;
    if (keyStartsAt(body, keyPos)) return keyPos;
    comma = body.indexOf(",", comma + 1);
  }
  return -1;
}

/** Given the position of a key found by findNextField, where the separator before it begins. */
function separatorStart(body: string, keyPos: number): number {
  let i = keyPos;
  while (i > 0 && body.charCodeAt(i - 1) === SPACE) i--;
  return body.charCodeAt(i - 1) === COMMA ? i - 1 : i;
}

/** After a value: the position of the next key, `body.length` at the end, or -1 for unexpected text. */
function skipSeparator(body: string, pos: number): number {
  let i = pos;
  while (body.charCodeAt(i) === SPACE) i++;
  if (i >= body.length) return body.length;
  if (body.charCodeAt(i) !== COMMA) return -1;
  i++;
  while (body.charCodeAt(i) === SPACE) i++;
  if (i >= body.length) return body.length;
  return keyStartsAt(body, i) ? i : -1;
}

/**
 * The closing `"` of a quoted value: the first quote not escaped by a backslash and followed by a comma,
 * whitespace or the end. With sanitising on, Keycloak escapes every quote inside a value, so this is exact.
 */
function findDoubleQuoteClose(body: string, from: number): number {
  let i = body.indexOf('"', from);
  while (i !== -1) {
    if (body.charCodeAt(i - 1) !== BACKSLASH) {
      const next = body.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === COMMA || next === SPACE || next === 0x09) return i;
    }
    i = body.indexOf('"', i + 1);
  }
  // A value ending in a backslash looks like an escaped quote: accept `\"` at the very end or before `, key=`.
  i = body.indexOf('"', from);
  while (i !== -1) {
    if (i === body.length - 1 || skipSeparator(body, i + 1) > i) return i;
    i = body.indexOf('"', i + 1);
  }
  return -1;
}

/** Pre-23.0.5 single quotes were not escaped: only a quote followed by `, key=` or the end closes. */
function findApostropheClose(body: string, from: number): number {
  let i = body.indexOf("'", from);
  while (i !== -1) {
    if (i === body.length - 1) return i;
    const next = skipSeparator(body, i + 1);
    if (next !== -1) return i;
    i = body.indexOf("'", i + 1);
  }
  return -1;
}

function findBracketClose(body: string, from: number): number {
  let i = body.indexOf("]", from);
  while (i !== -1) {
    if (skipSeparator(body, i + 1) !== -1) return i;
    i = body.indexOf("]", i + 1);
  }
  return -1;
}

function unescapeQuotes(value: string, quote: string): string {
  return value.indexOf("\\") === -1 ? value : value.replaceAll(`\\${quote}`, quote);
}

function trimEnd(value: string): string {
  const last = value.charCodeAt(value.length - 1);
  return last === SPACE || last === 0x09 || last === COMMA ? value.replace(/[\s,]+$/, "") : value;
}

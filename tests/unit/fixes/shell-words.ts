/**
 * Reads one POSIX shell word made of bare characters, '...' segments and backslash escapes, the forms
 * shellQuote produces. Throws on anything the shell would interpret (unquoted $, `, ;, spaces, ...).
 */
export function readShellWord(word: string): string {
  let out = "";
  let i = 0;
  while (i < word.length) {
    const c = word.charAt(i);
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${word}`);
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === "\\") {
      out += word.charAt(i + 1);
      i += 2;
    } else if (/[\s;&|<>()$`"*?#~{}[\]]/.test(c)) {
      throw new Error(`unquoted ${JSON.stringify(c)} in ${word}`);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * What the shell would interpret in a script: the text outside single quotes and outside comments.
 * A hostile value that survives here could run; one that only sat inside '...' is data.
 */
export function interpretedText(script: string): string {
  let out = "";
  let i = 0;
  let inDouble = false;
  let wordStart = true;
  while (i < script.length) {
    const c = script.charAt(i);
    if (!inDouble && c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new Error("unterminated single quote");
      i = end + 1;
      wordStart = false;
    } else if (c === "\\") {
      out += script.slice(i, i + 2);
      i += 2;
      wordStart = false;
    } else if (c === '"') {
      inDouble = !inDouble;
      i++;
      wordStart = false;
    } else if (!inDouble && c === "#" && wordStart) {
      const end = script.indexOf("\n", i);
      i = end < 0 ? script.length : end;
    } else {
      out += c;
      wordStart = !inDouble && /[\s;&|()]/.test(c);
      i++;
    }
  }
  if (inDouble) throw new Error("unterminated double quote");
  return out;
}

/**
 * JWTs inside pasted text. A token is replaced by a placeholder (`[token 1]`) before anything else reads the
 * text, so no later step (a parser, an error message, an answer) can carry it further. Pure and free of Node
 * APIs: the Diagnose page runs it in the browser so the token is never sent.
 */

/** A compact JWS: base64url JSON header (`eyJ`), base64url payload, and a signature that may be empty. */
const JWT = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

export interface FoundToken {
  /** 1-based, in order of appearance: the placeholder is `[token <n>]`. */
  n: number;
  /** The token itself; keep it in memory only for decoding. */
  token: string;
  /** 1-based line where it starts. */
  line: number;
}

export interface TokensRemoved {
  text: string;
  tokens: FoundToken[];
}

export function tokenPlaceholder(n: number): string {
  return `[token ${n}]`;
}

/** Replaces every JWT in `text` by its placeholder; the same token twice keeps one number. */
export function removeTokens(text: string): TokensRemoved {
  const tokens: FoundToken[] = [];
  const byValue = new Map<string, number>();
  let lastIndex = 0;
  let line = 1;
  const out = text.replace(JWT, (token: string, offset: number) => {
    line += countNewlines(text, lastIndex, offset);
    lastIndex = offset;
    let n = byValue.get(token);
    if (n === undefined) {
      n = tokens.length + 1;
      byValue.set(token, n);
      tokens.push({ n, token, line });
    }
    return tokenPlaceholder(n);
  });
  return { text: out, tokens };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

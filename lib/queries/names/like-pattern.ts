/** Text as the literal part of a `like` pattern: its own `%`, `_` and `\` match only themselves. */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Below this length a search term is matched whole or as a prefix only: "a" is part of half the names. */
export const MIN_CONTAINS_LENGTH = 3;

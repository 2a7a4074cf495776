/**
 * Follows the nesting of JSON text fed piece by piece (a value pretty-printed over lines): brackets inside
 * strings do not count. `open` is true until the first value has closed.
 */
export class JsonDepth {
  private depth = 0;
  private inString = false;
  private started = false;

  /** Feeds the next piece of text; returns whether a value has been opened and is still open. */
  feed(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.inString) {
        if (c === "\\") i++;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === "{" || c === "[") {
        this.depth++;
        this.started = true;
      } else if (c === "}" || c === "]") this.depth--;
    }
    return this.open;
  }

  get open(): boolean {
    return this.started && this.depth > 0;
  }
}

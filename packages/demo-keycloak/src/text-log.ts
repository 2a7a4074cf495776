/**
 * An append-only text log kept as UTF-8 in 4 MiB chunks with an offset per line. Lines built by string
 * concatenation are ropes in V8; keeping 100,000 of them as strings cost ~400 MB of heap, as bytes ~40 MB.
 * Sequence numbers are 1-based and absolute.
 */
export class TextLog {
  private static readonly CHUNK = 4 << 20;
  private chunks: Buffer[] = [Buffer.allocUnsafe(TextLog.CHUNK)];
  private used = 0;
  /** Per line: chunk index and start/end byte offsets. */
  private chunkOf: number[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  push(line: string): void {
    const max = Buffer.byteLength(line);
    if (this.used + max > this.chunks[this.chunks.length - 1]!.length) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(TextLog.CHUNK, max)));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1]!;
    const written = chunk.write(line, this.used, "utf8");
    this.chunkOf.push(this.chunks.length - 1);
    this.starts.push(this.used);
    this.ends.push(this.used + written);
    this.used += written;
  }

  get last(): number {
    return this.starts.length;
  }

  /** Lines with a sequence number > after, at most `limit`. */
  after(after = 0, limit = Number.POSITIVE_INFINITY): string[] {
    const from = Math.max(0, after);
    const to = Math.min(this.starts.length, from + limit);
    const out: string[] = [];
    for (let i = from; i < to; i++)
      out.push(this.chunks[this.chunkOf[i]!]!.toString("utf8", this.starts[i]!, this.ends[i]!));
    return out;
  }

  all(): string[] {
    return this.after(0);
  }
}

/** An append-only log with absolute sequence numbers; the oldest entries go past `capacity`. */
export class LogBuffer<T> {
  private items: T[] = [];
  private dropped = 0;

  constructor(private readonly capacity = 1_000_000) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity * 1.25) {
      const cut = this.items.length - this.capacity;
      this.items = this.items.slice(cut);
      this.dropped += cut;
    }
  }

  /** Sequence number of the last entry (0 when empty). */
  get last(): number {
    return this.dropped + this.items.length;
  }

  /** Entries with a sequence number > after (1-based sequence). */
  after(after = 0, limit = Number.POSITIVE_INFINITY): T[] {
    const start = Math.max(0, after - this.dropped);
    return this.items.slice(start, start + Math.min(limit, this.items.length));
  }

  all(): T[] {
    return this.items.slice();
  }
}

/**
 * A byte-bounded keep-list for what a server can send without limit (websocket frames): the first
 * items are kept until half the budget is used, then a window of the latest items in the other
 * half; items in between are dropped and counted. The first frames hold the handshake, the latest
 * what a step is waiting for, so checks still judge what matters after a flood.
 */

export interface Dropped {
  count: number;
  bytes: number;
}

export class FirstAndLatest<T> {
  private readonly first: T[] = [];
  private firstBytes = 0;
  private firstClosed = false;
  /** The latest items, oldest first from `start` (a ring without copying on every drop). */
  private readonly latest: Array<{ item: T; bytes: number }> = [];
  private start = 0;
  private latestBytes = 0;
  private readonly droppedSoFar: Dropped = { count: 0, bytes: 0 };

  /** maxBytes: the whole budget; the latest item is always kept, even alone over its half. */
  constructor(private readonly maxBytes: number) {
    if (!Number.isFinite(maxBytes) || maxBytes < 2) throw new RangeError(`FirstAndLatest maxBytes must be at least 2, got ${maxBytes}`);
  }

  /** Keep an item of `bytes` size; returns the items dropped to make room (oldest first). */
  add(item: T, bytes: number): T[] {
    const half = this.maxBytes / 2;
    if (!this.firstClosed && this.firstBytes + bytes <= half) {
      this.first.push(item);
      this.firstBytes += bytes;
      return [];
    }
    this.firstClosed = true;
    this.latest.push({ item, bytes });
    this.latestBytes += bytes;
    const dropped: T[] = [];
    while (this.latestBytes > half && this.latest.length - this.start > 1) {
      const oldest = this.latest[this.start++]!;
      this.latestBytes -= oldest.bytes;
      this.droppedSoFar.count++;
      this.droppedSoFar.bytes += oldest.bytes;
      dropped.push(oldest.item);
    }
    if (this.start > 1024 && this.start * 2 > this.latest.length) this.latest.splice(0, this.start), (this.start = 0);
    return dropped;
  }

  /** Kept items in the order added. */
  items(): T[] {
    return [...this.first, ...this.latest.slice(this.start).map((entry) => entry.item)];
  }

  /** How many of the first items are kept (the dropped ones, if any, come right after them). */
  get firstCount(): number {
    return this.first.length;
  }

  get dropped(): Dropped {
    return { ...this.droppedSoFar };
  }

  get keptBytes(): number {
    return this.firstBytes + this.latestBytes;
  }
}

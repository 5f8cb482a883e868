// ListView: the sequence numbers that pass the filter, with a cursor and a scroll window over them.

/**
 * Keeps an ordered list of sequence numbers (ascending) and a cursor; only the window
 * `[top, top + height)` is ever rendered. Following: when the cursor is on the last item, new
 * items move it along (a live tail).
 */
export class ListView {
  /** Whether new items carry a cursor that sits on the last item along with them. */
  readonly #follow: boolean;
  #seqs: number[] = [];
  /** Index in #seqs of the first live entry (entries before it were evicted). */
  #head = 0;
  #cursor = 0;
  #top = 0;

  constructor(follow: boolean) {
    this.#follow = follow;
  }

  get length(): number {
    return this.#seqs.length - this.#head;
  }

  get cursor(): number {
    return this.#cursor;
  }

  get top(): number {
    return this.#top;
  }

  /** Sequence number under the cursor. */
  get selectedSeq(): number | undefined {
    return this.length === 0 ? undefined : this.#seqs[this.#head + this.#cursor];
  }

  at(index: number): number | undefined {
    return index >= 0 && index < this.length ? this.#seqs[this.#head + index] : undefined;
  }

  /** Replaces every entry, keeping the cursor on `keepSeq` when it is still listed. */
  reset(seqs: number[], keepSeq?: number): void {
    this.#seqs = seqs;
    this.#head = 0;
    const kept = keepSeq === undefined ? -1 : lowerBound(seqs, keepSeq);
    this.#cursor = kept >= 0 && seqs[kept] === keepSeq ? kept : Math.max(0, Math.min(kept, seqs.length - 1));
    this.#top = Math.min(this.#top, this.#cursor);
  }

  append(seq: number): void {
    const following = this.#follow && this.length > 0 && this.#cursor === this.length - 1;
    this.#seqs.push(seq);
    if (following) this.#cursor++;
  }

  /** Forgets entries below `firstSeq` (evicted from the store). */
  dropBelow(firstSeq: number): void {
    let dropped = 0;
    while (this.length > 0 && (this.#seqs[this.#head] ?? firstSeq) < firstSeq) {
      this.#head++;
      dropped++;
    }
    if (dropped === 0) return;
    this.#cursor = Math.max(0, this.#cursor - dropped);
    this.#top = Math.max(0, this.#top - dropped);
    if (this.#head > 4096 && this.#head * 2 > this.#seqs.length) {
      this.#seqs = this.#seqs.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Moves the cursor by `delta` (clamped). */
  move(delta: number): void {
    this.moveTo(this.#cursor + delta);
  }

  moveTo(index: number): void {
    this.#cursor = Math.max(0, Math.min(this.length - 1, index));
  }

  /** Cursor to the entry with this sequence number; false when it is not listed. */
  select(seq: number): boolean {
    const index = lowerBound(this.#seqs, seq, this.#head);
    if (this.#seqs[index] !== seq) return false;
    this.#cursor = index - this.#head;
    return true;
  }

  /** Scrolls so that the cursor is inside a window of `height` rows; returns the window's first index. */
  windowStart(height: number): number {
    const rows = Math.max(1, height);
    if (this.#cursor < this.#top) this.#top = this.#cursor;
    else if (this.#cursor >= this.#top + rows) this.#top = this.#cursor - rows + 1;
    this.#top = Math.max(0, Math.min(this.#top, this.length - rows));
    return this.#top;
  }
}

/** First index at or after `from` whose value is >= `value` (values ascending). */
function lowerBound(values: readonly number[], value: number, from = 0): number {
  let low = from;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] ?? value) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

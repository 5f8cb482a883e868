// BoundedRing: the last `capacity` items pushed, addressed by a sequence number that never repeats.

export class BoundedRing<T> {
  readonly capacity: number;
  readonly #slots: (T | undefined)[];
  #nextSeq = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#slots = new Array<T | undefined>(capacity);
  }

  /** Sequence number the next push gets (= how many items were ever pushed). */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Oldest sequence number still held. */
  get firstSeq(): number {
    return Math.max(0, this.#nextSeq - this.capacity);
  }

  get size(): number {
    return this.#nextSeq - this.firstSeq;
  }

  /** Stores the item built for the next sequence number (evicting the oldest when full). */
  push(build: (seq: number) => T): T {
    const seq = this.#nextSeq++;
    const item = build(seq);
    this.#slots[seq % this.capacity] = item;
    return item;
  }

  /** The item with this sequence number, or undefined when evicted or not yet pushed. */
  get(seq: number): T | undefined {
    return seq >= this.firstSeq && seq < this.#nextSeq ? this.#slots[seq % this.capacity] : undefined;
  }
}

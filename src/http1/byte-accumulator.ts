// ByteAccumulator: a growable byte buffer that copies in only the bytes appended (no repeated concat).

const EMPTY = Buffer.alloc(0);

/** Storage above this size is released by `clear()` so idle streams hold little memory. */
const RETAINED_CAPACITY = 8 * 1024;

export class ByteAccumulator {
  private storage: Buffer = EMPTY;
  private used = 0;

  /** `initialCapacity` is allocated on first append; growth doubles, never beyond `maxCapacity`. */
  constructor(
    private readonly initialCapacity = 1024,
    private readonly maxCapacity = Number.MAX_SAFE_INTEGER,
  ) {}

  get length(): number {
    return this.used;
  }

  /** Copies `source[start, end)` in. The caller keeps the total within `maxCapacity`. */
  append(source: Buffer, start: number, end: number): void {
    const needed = this.used + (end - start);
    if (needed > this.storage.length) this.grow(needed);
    source.copy(this.storage, this.used, start, end);
    this.used = needed;
  }

  /** The bytes so far, as a view that the next append or clear may overwrite. */
  view(): Buffer {
    return this.storage.subarray(0, this.used);
  }

  /** The bytes so far in a buffer of their own; the accumulator is empty afterwards. */
  take(): Buffer {
    const bytes = this.used === this.storage.length ? this.storage : Buffer.from(this.view());
    this.storage = EMPTY;
    this.used = 0;
    return bytes;
  }

  clear(): void {
    this.used = 0;
    if (this.storage.length > RETAINED_CAPACITY) this.storage = EMPTY;
  }

  private grow(needed: number): void {
    const doubled = Math.max(this.storage.length * 2, this.initialCapacity);
    const capacity = Math.max(needed, Math.min(doubled, this.maxCapacity));
    const storage = Buffer.allocUnsafe(capacity);
    this.storage.copy(storage, 0, 0, this.used);
    this.storage = storage;
  }
}

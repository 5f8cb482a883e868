// The HPACK dynamic table of one direction (RFC 7541 §2.3.2, §4): newest first, evicted oldest first, bounded in size.

/** Size of an entry as RFC 7541 §4.1 counts it: name and value octets plus 32. */
export function entrySize(name: string, value: string): number {
  return name.length + value.length + 32;
}

/** Entries live in an array, oldest at `#start`; eviction moves `#start` and compacts now and then (amortised O(1)). */
export class HpackDynamicTable {
  #entries: Array<readonly [string, string]> = [];
  #start = 0;
  #size = 0;
  #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  get size(): number {
    return this.#size;
  }

  get maxSize(): number {
    return this.#maxSize;
  }

  get length(): number {
    return this.#entries.length - this.#start;
  }

  /** Entry `index` (1 = newest), or undefined past the end. */
  get(index: number): readonly [string, string] | undefined {
    const position = this.#entries.length - index;
    return position >= this.#start && index >= 1 ? this.#entries[position] : undefined;
  }

  /** Adds an entry, evicting the oldest to make room; an entry larger than the table empties it (§4.4). */
  add(name: string, value: string): void {
    const size = entrySize(name, value);
    this.#evictTo(this.#maxSize - size);
    if (size > this.#maxSize) return;
    this.#entries.push([name, value]);
    this.#size += size;
  }

  /** A dynamic table size update (§6.3) or a new limit: evicts until the table fits. */
  resize(maxSize: number): void {
    this.#maxSize = maxSize;
    this.#evictTo(maxSize);
  }

  #evictTo(target: number): void {
    while (this.#size > Math.max(target, 0) && this.#start < this.#entries.length) {
      const [name, value] = this.#entries[this.#start]!;
      this.#size -= entrySize(name, value);
      this.#start++;
    }
    if (this.#start > 64 && this.#start * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#start);
      this.#start = 0;
    }
  }
}

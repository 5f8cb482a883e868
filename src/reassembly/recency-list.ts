// RecencyList: items in the order they were last touched, with O(1) touch, removal and oldest;
// the links live on the items, so a list costs no allocation per item. No lookup by key.

/** The links an item carries; an item is in at most one list at a time. */
export interface RecencyLinks<T extends RecencyLinks<T>> {
  older: T | undefined;
  newer: T | undefined;
  /** The list the item is in, if any. */
  list: RecencyList<T> | undefined;
}

export class RecencyList<T extends RecencyLinks<T>> {
  #oldest: T | undefined;
  #newest: T | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get oldest(): T | undefined {
    return this.#oldest;
  }

  has(item: T): boolean {
    return item.list === this;
  }

  /** Makes `item` the newest, taking it from the list it was in. */
  touch(item: T): void {
    if (item.list === this && item === this.#newest) return;
    item.list?.delete(item);
    item.older = this.#newest;
    item.newer = undefined;
    if (this.#newest === undefined) this.#oldest = item;
    else this.#newest.newer = item;
    this.#newest = item;
    item.list = this;
    this.#size++;
  }

  /** Takes `item` out; false when it was not in this list. */
  delete(item: T): boolean {
    if (item.list !== this) return false;
    if (item.older === undefined) this.#oldest = item.newer;
    else item.older.newer = item.newer;
    if (item.newer === undefined) this.#newest = item.older;
    else item.newer.older = item.older;
    item.older = undefined;
    item.newer = undefined;
    item.list = undefined;
    this.#size--;
    return true;
  }

  /** Oldest first; the item yielded may be deleted or moved before the next one is asked for. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let item = this.#oldest; item !== undefined; ) {
      const newer = item.newer;
      yield item;
      item = newer;
    }
  }
}

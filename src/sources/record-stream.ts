// Feeds a byte stream, chunk by chunk, to a record parser; only records that span chunks are copied.

/**
 * A streaming parser of length-prefixed records (pcap records, pcapng blocks). It never keeps
 * a reference to a chunk beyond what it hands on, and tells how many bytes it needs to go on.
 */
export interface RecordConsumer {
  /**
   * Parses whole records from `buf[start, end)` and returns the offset just past the last one
   * taken. When it stops short of `end` (and is not `stopped`), `needed` is larger than what
   * was left: the bytes the next record needs, counted from the returned offset.
   */
  consume(buf: Buffer, start: number, end: number): number;
  readonly needed: number;
  /** True once the parser gave up on damage; it takes no more bytes. */
  readonly stopped: boolean;
  /** End of input: `leftover` bytes were never consumed (a cut record, or nothing). */
  finish(leftover: number): void;
}

/**
 * Splits an arbitrary chunking of a stream into the calls a RecordConsumer wants. Records that
 * lie inside a chunk are parsed in place; a record that spans chunks is assembled in a fresh
 * buffer of exactly its size (never reused, so views handed out stay valid).
 */
export class ChunkFeeder {
  readonly #consumer: RecordConsumer;
  /** The start of a record that spans chunks; `#carryLength` bytes of it are filled. */
  #carry: Buffer | undefined;
  #carryLength = 0;

  constructor(consumer: RecordConsumer) {
    this.#consumer = consumer;
  }

  push(chunk: Buffer): void {
    const consumer = this.#consumer;
    let offset = 0;
    while (this.#carry !== undefined && !consumer.stopped) {
      const needed = consumer.needed;
      if (this.#carry.length < needed) this.#growCarry(needed);
      const carry = this.#carry;
      const take = Math.min(needed - this.#carryLength, chunk.length - offset);
      chunk.copy(carry, this.#carryLength, offset, offset + take);
      offset += take;
      this.#carryLength += take;
      if (this.#carryLength < needed) return;
      const used = consumer.consume(carry, 0, this.#carryLength);
      if (used === this.#carryLength) {
        this.#carry = undefined;
        this.#carryLength = 0;
      } else if (used > 0) {
        this.#startCarry(carry, used, this.#carryLength);
      } else if (!consumer.stopped && consumer.needed <= this.#carryLength) {
        throw new Error(`record parser made no progress (needs ${consumer.needed} bytes, has ${this.#carryLength})`);
      }
    }
    if (consumer.stopped || offset === chunk.length) return;
    const used = consumer.consume(chunk, offset, chunk.length);
    if (used < chunk.length && !consumer.stopped) this.#startCarry(chunk, used, chunk.length);
  }

  /** End of stream: tells the consumer how many bytes were left over. */
  finish(): void {
    if (!this.#consumer.stopped) this.#consumer.finish(this.#carryLength);
    this.#carry = undefined;
    this.#carryLength = 0;
  }

  #startCarry(source: Buffer, start: number, end: number): void {
    const length = end - start;
    const carry = Buffer.allocUnsafe(Math.max(length, this.#consumer.needed));
    source.copy(carry, 0, start, end);
    this.#carry = carry;
    this.#carryLength = length;
  }

  #growCarry(size: number): void {
    const grown = Buffer.allocUnsafe(size);
    this.#carry?.copy(grown, 0, 0, this.#carryLength);
    this.#carry = grown;
  }
}

// HpackDecoder: decodes the header blocks of one direction of an HTTP/2 connection (RFC 7541), with its own dynamic table.
// It does not check HTTP/2 header rules (pseudo-headers, lower case); the stream assembly does.
import { HpackDynamicTable } from './hpack-dynamic-table.js';
import { HpackError } from './hpack-error.js';
import { decodeHuffman } from './hpack-huffman.js';
import { STATIC_TABLE } from './hpack-static-table.js';

/** SETTINGS_HEADER_TABLE_SIZE before any SETTINGS (RFC 9113 §6.5.2). */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;
/** The largest dynamic table this reader keeps, whatever the peers announce. */
export const MAX_HEADER_TABLE_SIZE = 256 * 1024;
/** Header list size (RFC 9113 §6.5.2: octets + 32 per field) kept per block; the rest is decoded and dropped. */
export const MAX_HEADER_LIST_SIZE = 256 * 1024;
/** HPACK integers above this are not header data a peer would send (RFC 7541 §5.1 allows bounding them). */
const MAX_INTEGER = 2 ** 31 - 1;

export type HeaderField = readonly [name: string, value: string];

export interface DecodedHeaderBlock {
  /** The fields in block order, as far as `MAX_HEADER_LIST_SIZE` allows. */
  readonly fields: HeaderField[];
  /** Set when fields past the header list limit were left out. */
  readonly listTooLarge: boolean;
}

/**
 * One direction's decoder. `decode` throws HpackError on a block that does not decode; its table
 * is then out of step with the encoder's, so callers stop decoding that direction.
 */
export class HpackDecoder {
  readonly #table = new HpackDynamicTable(DEFAULT_HEADER_TABLE_SIZE);
  /** The largest size a table size update may set: the decoding endpoint's SETTINGS_HEADER_TABLE_SIZE (at least the default, which holds until the SETTINGS are acknowledged). */
  #sizeLimit = DEFAULT_HEADER_TABLE_SIZE;
  #offset = 0;
  #block: Buffer = Buffer.alloc(0);

  constructor(private readonly maxHeaderListSize = MAX_HEADER_LIST_SIZE) {}

  /** SETTINGS_HEADER_TABLE_SIZE announced by the endpoint that decodes with this table. */
  announceTableSize(size: number): void {
    this.#sizeLimit = Math.max(DEFAULT_HEADER_TABLE_SIZE, Math.min(size, MAX_HEADER_TABLE_SIZE));
  }

  get tableSize(): number {
    return this.#table.size;
  }

  decode(block: Buffer): DecodedHeaderBlock {
    this.#block = block;
    this.#offset = 0;
    const fields: HeaderField[] = [];
    let listSize = 0;
    let listTooLarge = false;
    let sawField = false;
    try {
      while (this.#offset < block.length) {
        const first = block[this.#offset]!;
        let field: HeaderField | undefined;
        if (first & 0x80) field = this.#indexed(this.#integer(7));
        else if (first & 0x40) field = this.#literal(6, true);
        else if (first & 0x20) {
          if (sawField) throw new HpackError('dynamic table size update after a header field');
          const size = this.#integer(5);
          if (size > this.#sizeLimit) throw new HpackError(`dynamic table size update to ${size}, above the announced ${this.#sizeLimit}`);
          this.#table.resize(size);
          continue;
        } else field = this.#literal(4, false);
        sawField = true;
        listSize += field[0].length + field[1].length + 32;
        if (listSize > this.maxHeaderListSize) listTooLarge = true;
        else fields.push(field);
      }
    } finally {
      this.#block = Buffer.alloc(0);
    }
    return { fields, listTooLarge };
  }

  #indexed(index: number): HeaderField {
    if (index === 0) throw new HpackError('indexed header field with index 0');
    const field = this.#lookup(index);
    return field;
  }

  #lookup(index: number): HeaderField {
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1]!;
    const entry = this.#table.get(index - STATIC_TABLE.length);
    if (entry === undefined) throw new HpackError(`index ${index} is beyond the dynamic table (${this.#table.length} entries)`);
    return entry;
  }

  /** A literal field (§6.2) whose index has `prefixBits`; with `index`, it is added to the table. */
  #literal(prefixBits: number, index: boolean): HeaderField {
    const nameIndex = this.#integer(prefixBits);
    const name = nameIndex === 0 ? this.#string() : this.#lookup(nameIndex)[0];
    const value = this.#string();
    if (index) this.#table.add(name, value);
    return [name, value];
  }

  #string(): string {
    const block = this.#block;
    if (this.#offset >= block.length) throw new HpackError('header block ends before a string');
    const huffman = (block[this.#offset]! & 0x80) !== 0;
    const length = this.#integer(7);
    const start = this.#offset;
    const end = start + length;
    if (end > block.length) throw new HpackError(`string of ${length} bytes runs past the end of the header block`);
    this.#offset = end;
    return huffman ? decodeHuffman(block, start, end) : block.toString('latin1', start, end);
  }

  /** An integer with an N-bit prefix (§5.1), starting at the current byte. */
  #integer(prefixBits: number): number {
    const block = this.#block;
    const max = (1 << prefixBits) - 1;
    let value = block[this.#offset++]! & max;
    if (value < max) return value;
    let shift = 0;
    for (;;) {
      if (this.#offset >= block.length) throw new HpackError('header block ends inside an integer');
      const byte = block[this.#offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (value > MAX_INTEGER) throw new HpackError('integer too large');
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  }
}

// HTTP/2 on the wire for fixtures, tests and the bench: frames and an HPACK encoder whose indexing each field chooses.
// Not a client: it writes bytes; the fixture client sends them over a socket.
import { FrameFlag, FrameType } from '../../src/http2/frame-reader.js';
import { huffmanCodeOf } from '../../src/http2/hpack-huffman.js';
import { STATIC_TABLE } from '../../src/http2/hpack-static-table.js';

export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export { FrameFlag, FrameType };

export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([header, payload]);
}

export function settingsFrame(settings: ReadonlyArray<readonly [id: number, value: number]> = []): Buffer {
  const payload = Buffer.alloc(settings.length * 6);
  settings.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, payload);
}

/** A header block as HEADERS plus CONTINUATION frames of at most `maxFrame` bytes each. */
export function headerFrames(streamId: number, block: Buffer, endStream: boolean, maxFrame = 16384): Buffer[] {
  const frames: Buffer[] = [];
  for (let offset = 0; offset === 0 || offset < block.length; offset += maxFrame) {
    const last = offset + maxFrame >= block.length;
    const type = offset === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
    const flags = (last ? FrameFlag.END_HEADERS : 0) | (offset === 0 && endStream ? FrameFlag.END_STREAM : 0);
    frames.push(frame(type, flags, streamId, block.subarray(offset, offset + maxFrame)));
  }
  return frames;
}

/** DATA frames of at most `maxFrame` bytes; the last carries END_STREAM when asked; `padding` pads each frame. */
export function dataFrames(streamId: number, body: Buffer, endStream: boolean, maxFrame = 16384, padding = 0): Buffer[] {
  const frames: Buffer[] = [];
  for (let offset = 0; offset === 0 || offset < body.length; offset += maxFrame) {
    const last = offset + maxFrame >= body.length;
    const chunk = body.subarray(offset, offset + maxFrame);
    const flags = (last && endStream ? FrameFlag.END_STREAM : 0) | (padding > 0 ? FrameFlag.PADDED : 0);
    const payload = padding > 0 ? Buffer.concat([Buffer.of(padding), chunk, Buffer.alloc(padding)]) : chunk;
    frames.push(frame(FrameType.DATA, flags, streamId, payload));
  }
  return frames;
}

/** How one field is written: indexed when the table has it (else incremental), or a literal of the given kind. */
export type FieldCoding = 'index' | 'incremental' | 'without-indexing' | 'never-indexed';

export interface EncodedField {
  readonly name: string;
  readonly value: string;
  readonly coding?: FieldCoding;
  readonly huffman?: boolean;
}

/** An HPACK encoder with its own dynamic table (4096 bytes), for writing test and fixture traffic. */
export class HpackEncoder {
  readonly #table: Array<[string, string]> = [];
  #size = 0;

  encode(fields: ReadonlyArray<EncodedField | readonly [string, string]>): Buffer {
    const parts: Buffer[] = [];
    for (const entry of fields) {
      const field: EncodedField = Array.isArray(entry) ? { name: entry[0], value: entry[1] } : (entry as EncodedField);
      parts.push(this.#field(field));
    }
    return Buffer.concat(parts);
  }

  #field({ name, value, coding = 'index', huffman = false }: EncodedField): Buffer {
    if (coding === 'index') {
      const exact = this.#find(name, value);
      if (exact > 0) return integer(exact, 7, 0x80);
    }
    const nameIndex = this.#find(name);
    const [prefix, bits] = coding === 'without-indexing' ? [0x00, 4] : coding === 'never-indexed' ? [0x10, 4] : [0x40, 6];
    const head = integer(nameIndex, bits, prefix);
    const nameBytes = nameIndex > 0 ? Buffer.alloc(0) : string(name, huffman);
    if (coding === 'index' || coding === 'incremental') this.#add(name, value);
    return Buffer.concat([head, nameBytes, string(value, huffman)]);
  }

  /** Index of (name, value), or of a field named `name` when `value` is undefined; 0 when absent. */
  #find(name: string, value?: string): number {
    const staticIndex = STATIC_TABLE.findIndex(([n, v]) => n === name && (value === undefined || v === value));
    if (staticIndex >= 0) return staticIndex + 1;
    const dynamicIndex = this.#table.findIndex(([n, v]) => n === name && (value === undefined || v === value));
    return dynamicIndex >= 0 ? STATIC_TABLE.length + 1 + dynamicIndex : 0;
  }

  #add(name: string, value: string): void {
    const size = name.length + value.length + 32;
    this.#table.unshift([name, value]);
    this.#size += size;
    while (this.#size > 4096 && this.#table.length > 0) {
      const [n, v] = this.#table.pop()!;
      this.#size -= n.length + v.length + 32;
    }
  }
}

function integer(value: number, prefixBits: number, firstByteFlags: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.of(firstByteFlags | value);
  const bytes = [firstByteFlags | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function string(text: string, huffman: boolean): Buffer {
  const raw = Buffer.from(text, 'latin1');
  if (!huffman) return Buffer.concat([integer(raw.length, 7, 0), raw]);
  let bits = 0n;
  let length = 0;
  for (const byte of raw) {
    const { code, length: codeLength } = huffmanCodeOf(byte);
    bits = (bits << BigInt(codeLength)) | BigInt(code);
    length += codeLength;
  }
  const pad = (8 - (length % 8)) % 8;
  bits = (bits << BigInt(pad)) | ((1n << BigInt(pad)) - 1n);
  const encoded = Buffer.from(((length + pad) / 8 > 0 ? bits.toString(16).padStart((length + pad) / 4, '0') : ''), 'hex');
  return Buffer.concat([integer(encoded.length, 7, 0x80), encoded]);
}

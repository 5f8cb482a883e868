// RecordReader: cuts one direction's in-order TCP bytes into TLS records, across segment boundaries.

/** Largest TLSCiphertext fragment (RFC 5246 §6.2.3: 2^14 + 2048). */
export const MAX_FRAGMENT_LENGTH = 16384 + 2048;
const HEADER_LENGTH = 5;

export interface RecordSink {
  /** One whole record: `header` (5 bytes) and `fragment` may be views of the input; copy what you keep. */
  record(header: Buffer, fragment: Buffer): void;
  /** The bytes are not TLS records (bad type, version or length): the reader stops. */
  malformed(detail: string): void;
}

/** True when `bytes` start like a TLS record header (content type 20–23, version 3.x). */
export function looksLikeTlsRecord(bytes: Buffer, offset = 0): boolean {
  if (bytes.length - offset < 3) return false;
  const type = bytes[offset]!;
  return type >= 20 && type <= 24 && bytes[offset + 1] === 3 && bytes[offset + 2]! <= 4;
}

/**
 * Whole records are handed out as views of the input without copying; only a record split
 * across calls is gathered into a buffer of its own size (at most MAX_FRAGMENT_LENGTH + 5).
 */
export class RecordReader {
  readonly #header = Buffer.alloc(HEADER_LENGTH);
  #headerFilled = 0;
  #fragment: Buffer | undefined;
  #fragmentFilled = 0;
  #stopped = false;

  constructor(private readonly sink: RecordSink) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    this.#stopped = true;
    this.#fragment = undefined;
  }

  feed(bytes: Buffer): void {
    let offset = 0;
    const end = bytes.length;
    while (offset < end && !this.#stopped) {
      if (this.#fragment !== undefined) {
        offset += this.#continueFragment(bytes, offset);
        continue;
      }
      if (this.#headerFilled === 0 && end - offset >= HEADER_LENGTH) {
        const length = bytes.readUInt16BE(offset + 3);
        if (!this.#validHeader(bytes, offset, length)) return;
        if (end - offset - HEADER_LENGTH >= length) {
          const fragmentStart = offset + HEADER_LENGTH;
          this.sink.record(bytes.subarray(offset, fragmentStart), bytes.subarray(fragmentStart, fragmentStart + length));
          offset = fragmentStart + length;
          continue;
        }
        bytes.copy(this.#header, 0, offset, offset + HEADER_LENGTH);
        this.#headerFilled = HEADER_LENGTH;
        offset += HEADER_LENGTH;
        this.#startFragment(length);
        continue;
      }
      const copied = bytes.copy(this.#header, this.#headerFilled, offset, Math.min(end, offset + HEADER_LENGTH - this.#headerFilled));
      this.#headerFilled += copied;
      offset += copied;
      if (this.#headerFilled < HEADER_LENGTH) return;
      const length = this.#header.readUInt16BE(3);
      if (!this.#validHeader(this.#header, 0, length)) return;
      this.#startFragment(length);
    }
  }

  #validHeader(bytes: Buffer, offset: number, length: number): boolean {
    if (!looksLikeTlsRecord(bytes, offset)) {
      this.sink.malformed(`not a TLS record header (type ${bytes[offset]}, version ${bytes[offset + 1]}.${bytes[offset + 2]})`);
      this.stop();
      return false;
    }
    if (length > MAX_FRAGMENT_LENGTH) {
      this.sink.malformed(`TLS record of ${length} bytes exceeds the maximum ${MAX_FRAGMENT_LENGTH}`);
      this.stop();
      return false;
    }
    return true;
  }

  #startFragment(length: number): void {
    this.#fragment = Buffer.allocUnsafe(length);
    this.#fragmentFilled = 0;
    if (length === 0) this.#finishFragment();
  }

  #continueFragment(bytes: Buffer, offset: number): number {
    const fragment = this.#fragment!;
    const copied = bytes.copy(fragment, this.#fragmentFilled, offset, Math.min(bytes.length, offset + fragment.length - this.#fragmentFilled));
    this.#fragmentFilled += copied;
    if (this.#fragmentFilled === fragment.length) this.#finishFragment();
    return copied;
  }

  #finishFragment(): void {
    const fragment = this.#fragment!;
    this.#fragment = undefined;
    this.#headerFilled = 0;
    this.sink.record(this.#header, fragment);
  }
}

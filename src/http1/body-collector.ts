// BodyCollector: keeps the first bytes of a message body (de-chunked) and undoes Content-Encoding at the end.
import type { HttpBody } from '../model/index.js';
import { ByteAccumulator } from './byte-accumulator.js';
import { contentCodings, decodeContentEncoding } from './content-coding.js';

const UNKNOWN_LENGTH_CAPACITY = 4096;

export const EMPTY_BODY: HttpBody = { bytes: Buffer.alloc(0), wireLength: 0, truncated: false };

export interface FinishedBody {
  readonly body: HttpBody;
  /** Set when Content-Encoding could not be undone (the raw bytes are kept). */
  readonly decodingError?: string;
}

export class BodyCollector {
  private readonly kept: ByteAccumulator;
  private wireLength = 0;
  private capped = false;
  private holed = false;

  /**
   * `cap` bounds the bytes kept (raw and decoded); `expectedLength`, when the framing knows it,
   * sizes the storage once.
   */
  constructor(
    private readonly cap: number,
    expectedLength?: number,
  ) {
    const initial = expectedLength === undefined ? UNKNOWN_LENGTH_CAPACITY : expectedLength;
    this.kept = new ByteAccumulator(Math.min(initial, cap), cap);
  }

  /** Body bytes `source[start, end)`, in order. Nothing is kept after a hole. */
  append(source: Buffer, start: number, end: number): void {
    this.wireLength += end - start;
    if (this.holed || this.capped) return;
    const room = this.cap - this.kept.length;
    if (end - start > room) {
      this.capped = true;
      end = start + room;
    }
    if (end > start) this.kept.append(source, start, end);
  }

  /** `missing` body bytes were lost on the wire. */
  skip(missing: number): void {
    this.wireLength += missing;
    this.holed = true;
  }

  /** The body, with `contentEncoding` (the Content-Encoding header value, if any) undone. */
  finish(contentEncoding: string | undefined): FinishedBody {
    const raw = this.kept.take();
    const incomplete = this.capped || this.holed;
    const codings = contentEncoding === undefined || this.wireLength === 0 ? [] : contentCodings(contentEncoding);
    if (codings.length === 0) return { body: { bytes: raw, wireLength: this.wireLength, truncated: incomplete } };
    const decoded = decodeContentEncoding(raw, contentEncoding!, this.cap);
    const truncated = incomplete || decoded.truncated;
    if (decoded.error !== undefined) {
      return { body: { bytes: decoded.bytes, wireLength: this.wireLength, truncated }, decodingError: decoded.error };
    }
    return {
      body: { bytes: decoded.bytes, wireLength: this.wireLength, truncated, contentEncoding: codings.join(', ') },
    };
  }
}

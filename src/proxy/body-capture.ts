// A capped copy of a message body as it streams through the proxy, decoded into an HttpBody at the end.
import { decodeContentEncoding } from '../http1/content-coding.js';
import type { HttpBody } from '../model/index.js';

/** Bytes of each body kept for inspection (on the wire and decoded); the rest only streams through. */
export const DEFAULT_BODY_CAP = 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/**
 * Keeps references to the first `cap` bytes of chunks (no copy until the end) and counts all of
 * them. The chunks themselves are passed on untouched by the caller.
 */
export class BodyCapture {
  #chunks: Buffer[] = [];
  #kept = 0;
  #wireLength = 0;
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  add(chunk: Buffer): void {
    this.#wireLength += chunk.length;
    const room = this.#cap - this.#kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  /** The body as the exchange holds it: Content-Encoding undone, capped. */
  toHttpBody(contentEncoding: string | undefined): HttpBody {
    const raw = this.#chunks.length === 0 ? EMPTY : this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#kept);
    this.#chunks = [];
    const cut = this.#wireLength > this.#kept;
    if (contentEncoding === undefined || raw.length === 0 || contentEncoding.trim().toLowerCase() === 'identity') {
      return { bytes: raw, wireLength: this.#wireLength, truncated: cut };
    }
    const decoded = decodeContentEncoding(raw, contentEncoding, this.#cap);
    return { bytes: decoded.bytes, wireLength: this.#wireLength, truncated: cut || decoded.truncated, contentEncoding };
  }
}

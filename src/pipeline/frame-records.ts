// FrameRecords: where each frame of one capture sits in its file, so a report can point at the bytes.
import type { CaptureFrame, FileSpan, HttpExchange } from '../model/index.js';

/**
 * Byte offset and length of every frame's record, by frame number, in typed arrays (12 bytes a
 * frame: 12 MB for a million frames). It does not read the file; it keeps what the reader saw.
 */
export class FrameRecords {
  #offsets = new Float64Array(1024);
  #lengths = new Uint32Array(1024);

  add(frame: CaptureFrame): void {
    if (frame.record === undefined) return;
    const index = frame.frameNumber;
    if (index >= this.#offsets.length) this.#grow(index + 1);
    this.#offsets[index] = frame.record.offset;
    this.#lengths[index] = frame.record.length;
  }

  /** The record of `frame`, or undefined when it was not seen. */
  get(frame: number | undefined): FileSpan | undefined {
    if (frame === undefined || frame >= this.#offsets.length) return undefined;
    const length = this.#lengths[frame] ?? 0;
    return length === 0 ? undefined : { offset: this.#offsets[frame] ?? 0, length };
  }

  /** The exchange with the records of its request's and response's frames. */
  locate(ex: HttpExchange): HttpExchange {
    const request = this.get(ex.request.frame);
    const response = this.get(ex.response?.frame);
    if (request === undefined && response === undefined) return ex;
    return {
      ...ex,
      request: request ? { ...ex.request, frameRecord: request } : ex.request,
      ...(ex.response && { response: response ? { ...ex.response, frameRecord: response } : ex.response }),
    };
  }

  #grow(needed: number): void {
    let size = this.#offsets.length;
    while (size < needed) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.#offsets);
    const lengths = new Uint32Array(size);
    lengths.set(this.#lengths);
    this.#offsets = offsets;
    this.#lengths = lengths;
  }
}

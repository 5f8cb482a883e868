// Http2FrameReader: cuts one direction of an HTTP/2 connection into frames (RFC 9113 §4), across any chunking.
// DATA content is streamed (padding removed, never buffered); other frames are handed over whole.
import type { Timestamp } from '../model/index.js';
import { ByteAccumulator } from '../http1/byte-accumulator.js';

export const FrameType = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

export const FrameFlag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const FRAME_HEADER_BYTES = 9;
/** Payload of a frame other than DATA held while it arrives; a peer may allow 16 MiB, header data is bounded far lower. */
export const MAX_BUFFERED_PAYLOAD = 1024 * 1024;

export interface FrameHeader {
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
}

/** Where a frame was seen: the capture frames of its first and last byte, and the time of the last. */
export interface FrameWhere {
  readonly firstFrame: number;
  readonly frame: number;
  readonly time: Timestamp;
}

export interface FrameReaderEvents {
  /** A whole frame other than DATA; `payload` is a view that is valid only during the call. */
  frame(header: FrameHeader, payload: Buffer, where: FrameWhere): void;
  /** Content bytes of a DATA frame (a view; copy what you keep). */
  data(header: FrameHeader, bytes: Buffer): void;
  /** `missing` content bytes of a DATA frame were lost in a gap. */
  dataGap(header: FrameHeader, missing: number, frame: number): void;
  /** The DATA frame ended (END_STREAM is in its flags). */
  dataEnd(header: FrameHeader, where: FrameWhere): void;
  /** The bytes do not form frames, or a gap fell outside DATA content: the reader stops for good. */
  lost(reason: 'malformed' | 'gap', detail: string, frame: number): void;
}

type Mode = 'header' | 'payload' | 'pad-length' | 'content' | 'padding' | 'stopped';

export class Http2FrameReader {
  #mode: Mode = 'header';
  readonly #headerBytes = Buffer.alloc(FRAME_HEADER_BYTES);
  #headerFill = 0;
  #header: FrameHeader = { length: 0, type: 0, flags: 0, streamId: 0 };
  #firstFrame = 0;
  readonly #payload = new ByteAccumulator(1024, MAX_BUFFERED_PAYLOAD);
  /** Bytes left in the current part (payload, content or padding). */
  #remaining = 0;
  #padding = 0;
  #frame = 0;
  #time: Timestamp = { sec: 0, nsec: 0 };

  constructor(private readonly events: FrameReaderEvents) {}

  get stopped(): boolean {
    return this.#mode === 'stopped';
  }

  feed(bytes: Buffer, frame: number, time: Timestamp): void {
    this.#frame = frame;
    this.#time = time;
    let offset = 0;
    while (offset < bytes.length && this.#mode !== 'stopped') offset = this.#step(bytes, offset);
  }

  /** `missing` bytes will never come: skipped inside DATA content or padding, else the reader stops. */
  gap(missing: number, frame: number, time: Timestamp): void {
    this.#frame = frame;
    this.#time = time;
    if (this.#mode === 'content' && missing <= this.#remaining + this.#padding) {
      const lostContent = Math.min(missing, this.#remaining);
      this.#remaining -= lostContent;
      this.#padding -= missing - lostContent;
      if (lostContent > 0) this.events.dataGap(this.#header, lostContent, frame);
      this.#afterContent();
      return;
    }
    if (this.#mode === 'padding' && missing <= this.#remaining) {
      this.#remaining -= missing;
      if (this.#remaining === 0) this.#endData();
      return;
    }
    if (this.#mode !== 'stopped') this.#lose('gap', `${missing} bytes missing: frames after them cannot be delimited`);
  }

  stop(): void {
    this.#mode = 'stopped';
    this.#payload.clear();
  }

  #step(bytes: Buffer, offset: number): number {
    switch (this.#mode) {
      case 'header':
        return this.#readHeader(bytes, offset);
      case 'payload':
        return this.#readPayload(bytes, offset);
      case 'pad-length':
        this.#startContent(bytes[offset]!);
        return offset + 1;
      case 'content': {
        const end = Math.min(bytes.length, offset + this.#remaining);
        this.#remaining -= end - offset;
        if (end > offset) this.events.data(this.#header, bytes.subarray(offset, end));
        this.#afterContent();
        return end;
      }
      case 'padding': {
        const end = Math.min(bytes.length, offset + this.#remaining);
        this.#remaining -= end - offset;
        if (this.#remaining === 0) this.#endData();
        return end;
      }
      case 'stopped':
        return bytes.length;
    }
  }

  #readHeader(bytes: Buffer, offset: number): number {
    if (this.#headerFill === 0) this.#firstFrame = this.#frame;
    const take = Math.min(FRAME_HEADER_BYTES - this.#headerFill, bytes.length - offset);
    bytes.copy(this.#headerBytes, this.#headerFill, offset, offset + take);
    this.#headerFill += take;
    if (this.#headerFill < FRAME_HEADER_BYTES) return offset + take;
    this.#headerFill = 0;
    const h = this.#headerBytes;
    this.#header = { length: h.readUIntBE(0, 3), type: h[3]!, flags: h[4]!, streamId: h.readUInt32BE(5) & 0x7fffffff };
    this.#begin();
    return offset + take;
  }

  #begin(): void {
    const header = this.#header;
    if (header.type === FrameType.DATA) {
      if (header.streamId === 0) return this.#lose('malformed', 'DATA frame on stream 0');
      if (header.flags & FrameFlag.PADDED) {
        if (header.length === 0) return this.#lose('malformed', `padded DATA frame of length 0 on stream ${header.streamId}`);
        this.#mode = 'pad-length';
      } else this.#startContent(0);
      return;
    }
    if (header.length > MAX_BUFFERED_PAYLOAD) {
      return this.#lose('malformed', `frame of type ${header.type} with a ${header.length}-byte payload (over ${MAX_BUFFERED_PAYLOAD})`);
    }
    this.#remaining = header.length;
    this.#payload.clear();
    if (header.length === 0) this.#deliver(Buffer.alloc(0));
    else this.#mode = 'payload';
  }

  #readPayload(bytes: Buffer, offset: number): number {
    const end = Math.min(bytes.length, offset + this.#remaining);
    if (this.#payload.length === 0 && end - offset === this.#remaining) {
      this.#remaining = 0;
      this.#deliver(bytes.subarray(offset, end));
      return end;
    }
    this.#payload.append(bytes, offset, end);
    this.#remaining -= end - offset;
    if (this.#remaining === 0) this.#deliver(this.#payload.view());
    return end;
  }

  #deliver(payload: Buffer): void {
    this.#mode = 'header';
    this.events.frame(this.#header, payload, this.#where());
    this.#payload.clear();
  }

  /** DATA content after the pad length byte (padded frames) or right away. */
  #startContent(padLength: number): void {
    const header = this.#header;
    const padded = (header.flags & FrameFlag.PADDED) !== 0;
    const content = header.length - (padded ? 1 : 0) - padLength;
    if (content < 0) return this.#lose('malformed', `DATA frame on stream ${header.streamId} with ${padLength} bytes of padding in a ${header.length}-byte payload`);
    this.#remaining = content;
    this.#padding = padLength;
    this.#mode = 'content';
    this.#afterContent();
  }

  #afterContent(): void {
    if (this.#remaining > 0) return;
    if (this.#padding > 0) {
      this.#remaining = this.#padding;
      this.#padding = 0;
      this.#mode = 'padding';
    } else this.#endData();
  }

  #endData(): void {
    this.#mode = 'header';
    this.events.dataEnd(this.#header, this.#where());
  }

  #where(): FrameWhere {
    return { firstFrame: this.#firstFrame, frame: this.#frame, time: this.#time };
  }

  #lose(reason: 'malformed' | 'gap', detail: string): void {
    this.stop();
    this.events.lost(reason, detail, this.#frame);
  }
}

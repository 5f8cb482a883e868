// HeaderBlockAssembler: one side's header blocks from HEADERS / PUSH_PROMISE and CONTINUATION frames (RFC 9113 §4.3, §6.2, §6.6, §6.10).
// It strips padding, priority and promised stream ids; it does not decode the block (HpackDecoder does).
import { ByteAccumulator } from '../http1/byte-accumulator.js';
import { FrameFlag, FrameType, type FrameHeader, type FrameWhere } from './frame-reader.js';

/** A header block (HEADERS or PUSH_PROMISE and its CONTINUATION frames) larger than this stops its side. */
export const MAX_HEADER_BLOCK_BYTES = 1024 * 1024;

/** A whole header block; `where` is the HEADERS (or PUSH_PROMISE) frame's, where tshark shows the message. */
export interface HeaderBlock {
  readonly header: FrameHeader;
  /** The stream a PUSH_PROMISE promises; 0 for HEADERS. */
  readonly promisedId: number;
  readonly block: Buffer;
  readonly where: FrameWhere;
}

export type AssemblyStep = { readonly kind: 'waiting' } | { readonly kind: 'block'; readonly block: HeaderBlock } | { readonly kind: 'malformed'; readonly detail: string };

const WAITING: AssemblyStep = { kind: 'waiting' };

interface PendingBlock {
  readonly header: FrameHeader;
  readonly promisedId: number;
  readonly where: FrameWhere;
  readonly fragments: ByteAccumulator;
}

export class HeaderBlockAssembler {
  #pending: PendingBlock | undefined;

  /** True between a HEADERS without END_HEADERS and its last CONTINUATION: no other frame may come. */
  get inBlock(): boolean {
    return this.#pending !== undefined;
  }

  /** A frame of this side while a block is open: it must be the block's CONTINUATION. */
  continue(header: FrameHeader, payload: Buffer): AssemblyStep {
    const pending = this.#pending!;
    if (header.type !== FrameType.CONTINUATION || header.streamId !== pending.header.streamId) {
      return { kind: 'malformed', detail: `frame of type ${header.type} inside the header block of stream ${pending.header.streamId} (CONTINUATION expected)` };
    }
    if (pending.fragments.length + payload.length > MAX_HEADER_BLOCK_BYTES) {
      return { kind: 'malformed', detail: `header block of stream ${header.streamId} over ${MAX_HEADER_BLOCK_BYTES} bytes` };
    }
    pending.fragments.append(payload, 0, payload.length);
    if ((header.flags & FrameFlag.END_HEADERS) === 0) return WAITING;
    this.#pending = undefined;
    return { kind: 'block', block: { header: pending.header, promisedId: pending.promisedId, block: pending.fragments.take(), where: pending.where } };
  }

  /** HEADERS or PUSH_PROMISE: its fragment is the block (END_HEADERS) or its first part. */
  start(header: FrameHeader, payload: Buffer, where: FrameWhere): AssemblyStep {
    const push = header.type === FrameType.PUSH_PROMISE;
    const name = push ? 'PUSH_PROMISE' : 'HEADERS';
    if (header.streamId === 0) return { kind: 'malformed', detail: `${name} on stream 0` };
    let start = 0;
    let padLength = 0;
    if (header.flags & FrameFlag.PADDED) {
      if (payload.length < 1) return { kind: 'malformed', detail: `padded ${name} without a pad length` };
      padLength = payload[0]!;
      start = 1;
    }
    if (!push && header.flags & FrameFlag.PRIORITY) start += 5;
    let promisedId = 0;
    if (push) {
      if (payload.length < start + 4) return { kind: 'malformed', detail: 'PUSH_PROMISE without a promised stream id' };
      promisedId = payload.readUInt32BE(start) & 0x7fffffff;
      start += 4;
    }
    const end = payload.length - padLength;
    if (end < start) return { kind: 'malformed', detail: `${name} on stream ${header.streamId} whose padding exceeds its payload` };
    const fragment = payload.subarray(start, end);
    if (header.flags & FrameFlag.END_HEADERS) return { kind: 'block', block: { header, promisedId, block: fragment, where } };
    const fragments = new ByteAccumulator(Math.max(fragment.length * 2, 1024), MAX_HEADER_BLOCK_BYTES);
    fragments.append(fragment, 0, fragment.length);
    this.#pending = { header, promisedId, where, fragments };
    return WAITING;
  }

  clear(): void {
    this.#pending = undefined;
  }
}

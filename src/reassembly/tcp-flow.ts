// TcpFlow: one direction of a TCP connection: orders bytes by sequence number, buffers, finds holes.
import type { Direction, Timestamp } from '../model/index.js';

/** Where a flow sends what it has put in order; the connection implements it. */
export interface FlowOutput {
  flowData(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): void;
  /** `snapLength` is set when the missing bytes were cut off their packet by the snapshot length. */
  flowGap(direction: Direction, missing: number, frame: number, time: Timestamp, why: string, snapLength?: number): void;
}

/** Where a segment's captured payload ends short of its length on the wire (see TcpSegment.snapCut). */
export interface FlowCut {
  /** Bytes after the payload that were never captured. */
  readonly missing: number;
  readonly snapLength: number;
}

const EMPTY = Buffer.alloc(0);

interface PendingPiece {
  /** Absolute stream offset (see TcpFlow) of the first byte. */
  readonly start: number;
  readonly bytes: Buffer;
  /** Bytes after `bytes` that the snapshot length cut off (0: none); the piece covers both. */
  readonly cut: number;
  readonly snapLength: number;
}

function pieceEnd(piece: PendingPiece): number {
  return piece.start + piece.bytes.length + piece.cut;
}

/**
 * Sequence numbers become absolute offsets: 0 is the first sequence number seen (the SYN's, when
 * the flow starts with one), so wrap-around at 2^32 is invisible past `toOffset`. Bytes are passed on
 * in order exactly once; the first copy of a byte wins over later retransmissions; a hole is
 * announced as a gap, never glued over. Bytes the snapshot length cut off a segment are announced
 * as a gap that says so, where they fall in the stream.
 */
export class TcpFlow {
  readonly #direction: Direction;
  readonly #output: FlowOutput;
  readonly #maxBufferedBytes: number;
  #started = false;
  #initialSeq = 0;
  /** Offset of the next byte to hand on. */
  #next = 0;
  /** Out-of-order pieces, sorted by start, never overlapping each other. */
  readonly #pending: PendingPiece[] = [];
  #pendingBytes = 0;
  /** Highest offset the peer acknowledged (everything below it was sent), or -1. */
  #acked = -1;
  /** Offset the FIN occupies, or -1 before a FIN was seen. */
  #finAt = -1;
  #finished = false;

  constructor(direction: Direction, output: FlowOutput, maxBufferedBytes: number) {
    this.#direction = direction;
    this.#output = output;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** True once the FIN and every byte before it were passed on (or declared missing). */
  get finished(): boolean {
    return this.#finished;
  }

  get finSeen(): boolean {
    return this.#finAt >= 0;
  }

  /** Takes one segment sent in this direction; `cut` when the snapshot length cut its payload short. */
  segment(seq: number, syn: boolean, fin: boolean, payload: Buffer, frame: number, time: Timestamp, cut?: FlowCut): void {
    if (!this.#started) {
      this.#started = true;
      this.#initialSeq = seq;
      this.#next = syn ? 1 : 0;
    }
    const dataStart = this.#toOffset(seq) + (syn ? 1 : 0);
    const cutBytes = cut?.missing ?? 0;
    if (payload.length + cutBytes > 0) this.#take(dataStart, payload, cutBytes, cut?.snapLength ?? 0, frame, time);
    if (fin && this.#finAt < 0) {
      this.#finAt = dataStart + payload.length + cutBytes;
      this.#checkFin();
    }
  }

  /** The peer acknowledged up to `ack`: bytes below it that never arrived are lost from the capture. */
  acknowledged(ack: number, frame: number, time: Timestamp): void {
    if (!this.#started) return;
    const offset = this.#toOffset(ack);
    if (offset <= this.#acked) return;
    this.#acked = offset;
    const holeEnd = this.#pending.length > 0 ? this.#pending[0]!.start : this.#finAt;
    if (holeEnd > this.#next && this.#acked >= holeEnd) {
      this.#skipTo(holeEnd, frame, time, 'the peer acknowledged bytes the capture does not have');
      this.#drain(frame, time);
    }
  }

  /** Connection over: every hole left is a gap; buffered bytes after holes are passed on. */
  flush(frame: number, time: Timestamp): void {
    while (this.#pending.length > 0) {
      this.#skipTo(this.#pending[0]!.start, frame, time, 'the connection ended with a hole');
      this.#drain(frame, time);
    }
    const tailEnd = this.#finAt >= 0 ? this.#finAt : this.#acked;
    if (tailEnd > this.#next) {
      this.#skipTo(tailEnd, frame, time, 'the connection ended with a hole');
      this.#checkFin();
    }
  }

  #toOffset(seq: number): number {
    const nextSeq = (this.#initialSeq + this.#next) >>> 0;
    return this.#next + ((seq - nextSeq) | 0);
  }

  #take(start: number, payload: Buffer, cut: number, snapLength: number, frame: number, time: Timestamp): void {
    const end = start + payload.length + cut;
    if (end <= this.#next) return; // all of it seen already
    if (start <= this.#next) {
      this.#pass({ start, bytes: payload, cut, snapLength }, frame, time);
      this.#drain(frame, time);
      return;
    }
    this.#buffer(start, payload, cut, snapLength);
    const firstStart = this.#pending[0]!.start;
    if (this.#acked >= firstStart) {
      this.#skipTo(firstStart, frame, time, 'the peer acknowledged bytes the capture does not have');
      this.#drain(frame, time);
    }
    while (this.#pendingBytes > this.#maxBufferedBytes && this.#pending.length > 0) {
      this.#skipTo(this.#pending[0]!.start, frame, time, `more than ${this.#maxBufferedBytes} bytes were waiting behind it`);
      this.#drain(frame, time);
    }
  }

  /**
   * Stores the parts of an out-of-order segment (its payload, then `cut` bytes that were never
   * captured) that no buffered piece covers yet; payload bytes are copied.
   */
  #buffer(start: number, payload: Buffer, cut: number, snapLength: number): void {
    const end = start + payload.length + cut;
    const pending = this.#pending;
    let cursor = start;
    let i = 0;
    while (i < pending.length && cursor < end) {
      const piece = pending[i]!;
      const coveredTo = pieceEnd(piece);
      if (coveredTo <= cursor) {
        i++;
        continue;
      }
      if (piece.start >= end) break;
      if (piece.start > cursor) {
        this.#insertPiece(i, cursor, piece.start, start, payload, snapLength);
        i++;
      }
      cursor = Math.max(cursor, coveredTo);
      i++;
    }
    if (cursor < end) this.#insertPiece(i, cursor, end, start, payload, snapLength);
  }

  /** Buffers `[from, to)` of a segment whose payload starts at `start` and is cut after it. */
  #insertPiece(at: number, from: number, to: number, start: number, payload: Buffer, snapLength: number): void {
    const payloadEnd = start + payload.length;
    const bytes = from < payloadEnd ? Buffer.from(payload.subarray(from - start, Math.min(to, payloadEnd) - start)) : EMPTY;
    const cut = to - Math.max(from, payloadEnd);
    this.#pending.splice(at, 0, { start: from, bytes, cut: Math.max(cut, 0), snapLength });
    this.#pendingBytes += bytes.length;
  }

  /** Passes on buffered pieces that are now in order. */
  #drain(frame: number, time: Timestamp): void {
    const pending = this.#pending;
    while (pending.length > 0 && pending[0]!.start <= this.#next) {
      const piece = pending.shift()!;
      this.#pendingBytes -= piece.bytes.length;
      this.#pass(piece, frame, time);
    }
    this.#checkFin();
  }

  /** Hands on what of a piece starting at or before `#next` is new: its bytes, then its cut. */
  #pass(piece: PendingPiece, frame: number, time: Timestamp): void {
    const bytesEnd = piece.start + piece.bytes.length;
    if (bytesEnd > this.#next) this.#deliver(piece.bytes.subarray(this.#next - piece.start), frame, time);
    const end = pieceEnd(piece);
    if (end > this.#next) {
      const missing = end - this.#next;
      this.#next = end;
      this.#output.flowGap(this.#direction, missing, frame, time, `the snapshot length (${piece.snapLength} bytes) cut the packet`, piece.snapLength);
    }
  }

  #deliver(bytes: Buffer, frame: number, time: Timestamp): void {
    this.#next += bytes.length;
    this.#output.flowData(this.#direction, bytes, frame, time);
  }

  #skipTo(offset: number, frame: number, time: Timestamp, why: string): void {
    const missing = offset - this.#next;
    this.#next = offset;
    this.#output.flowGap(this.#direction, missing, frame, time, why);
  }

  #checkFin(): void {
    if (!this.#finished && this.#finAt >= 0 && this.#next >= this.#finAt) {
      this.#finished = true;
      this.#next = Math.max(this.#next, this.#finAt + 1);
    }
  }
}

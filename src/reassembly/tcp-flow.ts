// TcpFlow: one direction of a TCP connection: orders bytes by sequence number, buffers, finds holes.
import type { Direction, Timestamp } from '../model/index.js';

/** Where a flow sends what it has put in order; the connection implements it. */
export interface FlowOutput {
  flowData(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): void;
  flowGap(direction: Direction, missing: number, frame: number, time: Timestamp, why: string): void;
}

interface PendingPiece {
  /** Absolute stream offset (see TcpFlow) of the first byte. */
  readonly start: number;
  readonly bytes: Buffer;
}

/**
 * Sequence numbers become absolute offsets: 0 is the first sequence number seen (the SYN's, when
 * the flow starts with one), so wrap-around at 2^32 is invisible past `toOffset`. Bytes are passed on
 * in order exactly once; the first copy of a byte wins over later retransmissions; a hole is
 * announced as a gap, never glued over.
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

  /** Takes one segment sent in this direction. */
  segment(seq: number, syn: boolean, fin: boolean, payload: Buffer, frame: number, time: Timestamp): void {
    if (!this.#started) {
      this.#started = true;
      this.#initialSeq = seq;
      this.#next = syn ? 1 : 0;
    }
    const dataStart = this.#toOffset(seq) + (syn ? 1 : 0);
    if (payload.length > 0) this.#take(dataStart, payload, frame, time);
    if (fin && this.#finAt < 0) {
      this.#finAt = dataStart + payload.length;
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

  #take(start: number, payload: Buffer, frame: number, time: Timestamp): void {
    const end = start + payload.length;
    if (end <= this.#next) return; // all of it seen already
    if (start <= this.#next) {
      this.#deliver(payload.subarray(this.#next - start), frame, time);
      this.#drain(frame, time);
      return;
    }
    this.#buffer(start, payload);
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

  /** Stores the parts of an out-of-order segment that no buffered piece covers yet (copied). */
  #buffer(start: number, payload: Buffer): void {
    const end = start + payload.length;
    const pending = this.#pending;
    let cursor = start;
    let i = 0;
    while (i < pending.length && cursor < end) {
      const piece = pending[i]!;
      const pieceEnd = piece.start + piece.bytes.length;
      if (pieceEnd <= cursor) {
        i++;
        continue;
      }
      if (piece.start >= end) break;
      if (piece.start > cursor) {
        this.#insertPiece(i, cursor, payload.subarray(cursor - start, piece.start - start));
        i++;
      }
      cursor = Math.max(cursor, pieceEnd);
      i++;
    }
    if (cursor < end) this.#insertPiece(i, cursor, payload.subarray(cursor - start));
  }

  #insertPiece(at: number, start: number, bytes: Buffer): void {
    this.#pending.splice(at, 0, { start, bytes: Buffer.from(bytes) });
    this.#pendingBytes += bytes.length;
  }

  /** Passes on buffered pieces that are now in order. */
  #drain(frame: number, time: Timestamp): void {
    const pending = this.#pending;
    while (pending.length > 0 && pending[0]!.start <= this.#next) {
      const piece = pending.shift()!;
      this.#pendingBytes -= piece.bytes.length;
      const pieceEnd = piece.start + piece.bytes.length;
      if (pieceEnd > this.#next) this.#deliver(piece.bytes.subarray(this.#next - piece.start), frame, time);
    }
    this.#checkFin();
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

// IP fragment reassembly (IPv4 and IPv6) with bounded memory: first-seen bytes win on overlap.
import type { AnomalyCode, AnomalySink } from '../model/index.js';
import { anomaly } from '../model/index.js';

export interface FragmentLimits {
  /** Datagrams waiting for fragments at once; the oldest is dropped beyond this. */
  readonly maxPendingDatagrams: number;
  /** Bytes held in waiting fragments over all datagrams. */
  readonly maxPendingBytes: number;
  /** A datagram still incomplete this long (capture time) after its first fragment is dropped. */
  readonly timeoutSeconds: number;
}

export const defaultFragmentLimits: FragmentLimits = {
  maxPendingDatagrams: 4096,
  maxPendingBytes: 32 * 1024 * 1024,
  timeoutSeconds: 60,
};

/** The largest datagram payload a fragment offset can describe. */
const MAX_DATAGRAM_PAYLOAD = 65535;

interface Piece {
  readonly offset: number;
  readonly bytes: Buffer;
}

interface PendingDatagram {
  readonly pieces: Piece[];
  /** Payload length, known once the last fragment (more-fragments clear) arrived; -1 before. */
  totalLength: number;
  heldBytes: number;
  readonly firstFrame: number;
  readonly firstSeconds: number;
}

export class IpFragmentReassembler {
  readonly #pending = new Map<string, PendingDatagram>();
  readonly #onAnomaly: AnomalySink;
  readonly #file: string | undefined;
  readonly #limits: FragmentLimits;
  #heldBytes = 0;

  constructor(onAnomaly: AnomalySink, file?: string, limits: FragmentLimits = defaultFragmentLimits) {
    this.#onAnomaly = onAnomaly;
    this.#file = file;
    this.#limits = limits;
  }

  /**
   * Adds one fragment of the datagram `key` (addresses, protocol and id); `offset` is in bytes of the
   * fragmentable payload. Returns the whole payload once every byte is there, else undefined.
   */
  add(key: string, offset: number, bytes: Buffer, more: boolean, frame: number, seconds: number): Buffer | undefined {
    this.#expire(seconds, frame);
    if (offset + bytes.length > MAX_DATAGRAM_PAYLOAD) {
      this.#report(frame, `IP fragment at offset ${offset} with ${bytes.length} bytes runs past 65535 bytes; dropped`, 'ip-fragment-bad');
      return undefined;
    }
    let datagram = this.#pending.get(key);
    if (datagram === undefined) {
      datagram = { pieces: [], totalLength: -1, heldBytes: 0, firstFrame: frame, firstSeconds: seconds };
      this.#pending.set(key, datagram);
    }
    if (!more && datagram.totalLength < 0) datagram.totalLength = offset + bytes.length;
    datagram.pieces.push({ offset, bytes: Buffer.from(bytes) });
    datagram.heldBytes += bytes.length;
    this.#heldBytes += bytes.length;

    if (datagram.totalLength >= 0 && isCovered(datagram)) {
      this.#forget(key, datagram);
      return assemble(datagram);
    }
    this.#enforceLimits(frame);
    return undefined;
  }

  /** Reports every datagram still waiting (end of capture). */
  finish(): void {
    for (const [key, datagram] of this.#pending) this.#drop(key, datagram, datagram.firstFrame, 'the capture ended');
  }

  #expire(seconds: number, frame: number): void {
    for (const [key, datagram] of this.#pending) {
      if (seconds - datagram.firstSeconds <= this.#limits.timeoutSeconds) break;
      this.#drop(key, datagram, frame, `no fragment completed it within ${this.#limits.timeoutSeconds} s`);
    }
  }

  #enforceLimits(frame: number): void {
    for (const [key, datagram] of this.#pending) {
      if (this.#pending.size <= this.#limits.maxPendingDatagrams && this.#heldBytes <= this.#limits.maxPendingBytes) break;
      this.#drop(key, datagram, frame, 'too many incomplete datagrams were waiting');
    }
  }

  #drop(key: string, datagram: PendingDatagram, frame: number, why: string): void {
    this.#forget(key, datagram);
    this.#report(
      frame,
      `IP datagram first seen in frame ${datagram.firstFrame} could not be reassembled (${datagram.pieces.length} fragments, ${datagram.heldBytes} bytes): ${why}`,
      'ip-fragment-incomplete',
    );
  }

  #forget(key: string, datagram: PendingDatagram): void {
    this.#pending.delete(key);
    this.#heldBytes -= datagram.heldBytes;
  }

  #report(frame: number, message: string, code: AnomalyCode): void {
    this.#onAnomaly(anomaly({ code, severity: 'warning', message, file: this.#file, frame }));
  }
}

/** True when the pieces cover [0, totalLength) without a hole. */
function isCovered(datagram: PendingDatagram): boolean {
  const sorted = [...datagram.pieces].sort((a, b) => a.offset - b.offset);
  let reached = 0;
  for (const piece of sorted) {
    if (piece.offset > reached) return false;
    reached = Math.max(reached, piece.offset + piece.bytes.length);
    if (reached >= datagram.totalLength) return true;
  }
  return reached >= datagram.totalLength;
}

/** Copies the pieces into one payload; later pieces are written first so the first-seen bytes win. */
function assemble(datagram: PendingDatagram): Buffer {
  const payload = Buffer.alloc(datagram.totalLength);
  for (let i = datagram.pieces.length - 1; i >= 0; i--) {
    const piece = datagram.pieces[i]!;
    if (piece.offset < payload.length) piece.bytes.copy(payload, piece.offset, 0, Math.min(piece.bytes.length, payload.length - piece.offset));
  }
  return payload;
}

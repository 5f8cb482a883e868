// StreamHandler: how TCP reassembly hands ordered bytes of one connection to the next stage.
import type { Direction, TcpStreamInfo, Timestamp } from '../model/index.js';

/**
 * Receives one connection's bytes in order, per direction. Invariant: bytes are never glued
 * over a hole; a hole is announced by `gap` before the bytes after it arrive.
 */
export interface StreamHandler {
  /**
   * In-order bytes; `frame` is the packet whose arrival made them deliverable. `bytes` may be a
   * view of the frame's buffer: copy what you keep. Return `false` to say "no more data, please":
   * the connection then costs nothing more (no data or gap calls), but `end` still comes.
   */
  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): void | boolean;
  /**
   * `missing` bytes will never arrive in this direction (lost, or beyond the buffer cap). With
   * `snapLength`, they were on the wire but the capture's snapshot length cut them off the packet
   * of `frame` (the connection's `snaplen-cut` anomaly says so once; no `tcp-gap` is reported).
   */
  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void;
  /** The connection ended: FIN seen both ways, RST, idle timeout, or end of capture. */
  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused'): void;
}

export type StreamOpener = (info: TcpStreamInfo) => StreamHandler;

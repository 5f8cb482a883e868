// TcpSegment and stream identity: what the network stage hands to TCP reassembly.
import type { Timestamp } from './time.js';

export interface Endpoint {
  /** Dotted IPv4 or compressed IPv6 text (RFC 5952), as Wireshark prints it. */
  readonly ip: string;
  readonly port: number;
}

export function endpointToString(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
} as const;

/** One TCP segment, decoded from a frame (after IP fragment reassembly). */
export interface TcpSegment {
  readonly frameNumber: number;
  readonly time: Timestamp;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** Sequence and acknowledgement numbers as unsigned 32-bit integers. */
  readonly seq: number;
  readonly ack: number;
  /** Bitmask of TcpFlag. */
  readonly flags: number;
  readonly payload: Buffer;
  /**
   * Set when the capture's snapshot length cut this segment: `payload` holds the first
   * `payload.length` of its `originalLength` bytes; the rest were never captured.
   */
  readonly snapCut?: SnapCut;
}

/** A segment's payload as the snapshot length left it. */
export interface SnapCut {
  /** Payload length on the wire (from the IP header). */
  readonly originalLength: number;
  /** The capture's snapshot length (the frame's captured length when the file states none). */
  readonly snapLength: number;
}

/** A TCP connection as Wireshark's tcp.stream numbers it. */
export interface TcpStreamInfo {
  /** 0, 1, 2 … in order of each connection's first packet (Wireshark's tcp.stream). */
  readonly index: number;
  /** The side that sent the SYN, or else the sender of the first packet seen. */
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly firstFrame: number;
  readonly firstTime: Timestamp;
}

export type Direction = 'client' | 'server';

// CaptureFrame: one packet record as a capture file holds it, before any protocol decoding.
import type { Timestamp } from './time.js';

/** LINKTYPE_* values (https://www.tcpdump.org/linktypes.html) that the link stage decodes. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export interface CaptureFrame {
  /** 1-based, counted over every packet record in the file, as Wireshark's frame.number. */
  readonly frameNumber: number;
  readonly time: Timestamp;
  /** LINKTYPE_* of the interface that captured the frame. */
  readonly linkType: number;
  /** Captured bytes (may be shorter than originalLength when the snap length cut it). */
  readonly data: Buffer;
  readonly originalLength: number;
  /** The interface's snapshot length (pcap file header, pcapng IDB); 0 or absent when the file states none. */
  readonly snapLength?: number;
  /** pcapng interface id within its section; 0 for classic pcap. */
  readonly interfaceId: number;
  /**
   * The frame's record in the capture stream (pcap record header and data, or the whole pcapng
   * block): byte offset and length. Offsets count decompressed bytes for a gzip'd capture.
   */
  readonly record?: FileSpan;
}

/** A run of bytes in a file: where it starts and how long it is. */
export interface FileSpan {
  readonly offset: number;
  readonly length: number;
}

/** Key material carried inside a capture (pcapng Decryption Secrets Block). */
export interface CaptureSecrets {
  /** Secrets type, e.g. 0x544c534b ('TLSK') for an NSS key log. */
  readonly secretsType: number;
  readonly data: Buffer;
  /** Frame number of the next packet after the block (secrets apply from there on). */
  readonly beforeFrame: number;
}

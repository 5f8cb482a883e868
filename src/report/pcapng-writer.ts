// PcapngWriter: builds pcapng blocks (section header, interfaces, packets with comments, TLS key-log secrets).
import type { Timestamp } from '../model/index.js';

/** Block types and option codes (draft-ietf-opsawg-pcapng). */
const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 0x00000001;
const ENHANCED_PACKET = 0x00000006;
const DECRYPTION_SECRETS = 0x0000000a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_TSRESOL = 9;
/** Secrets type of an NSS key log ('TLSK'). */
export const TLS_KEY_LOG = 0x544c534b;

/** An option's bytes: code, length, value padded to 32 bits. */
function option(code: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4));
  padded.writeUInt16LE(code, 0);
  padded.writeUInt16LE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/** The options area: the given options and opt_endofopt, or nothing when there are none. */
function options(list: readonly Buffer[]): Buffer {
  return list.length === 0 ? Buffer.alloc(0) : Buffer.concat([...list, option(OPT_END, Buffer.alloc(0))]);
}

/** A whole block: type, total length, body (padded), total length again. */
function block(type: number, body: Buffer): Buffer {
  const padding = (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + padding;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** The Section Header Block, naming the writing application. */
export function sectionHeader(application: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeBigInt64LE(-1n, 8); // section length not given
  return block(SECTION_HEADER, Buffer.concat([fixed, options([option(SHB_USERAPPL, Buffer.from(application, 'utf8'))])]));
}

/** An Interface Description Block with nanosecond timestamps (if_tsresol 9), so no capture loses precision. */
export function interfaceDescription(linkType: number, snapLength: number): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(linkType, 0);
  fixed.writeUInt32LE(snapLength >>> 0, 4);
  return block(INTERFACE_DESCRIPTION, Buffer.concat([fixed, options([option(IF_TSRESOL, Buffer.from([9]))])]));
}

export interface PacketToWrite {
  readonly interfaceId: number;
  readonly time: Timestamp;
  readonly data: Buffer;
  readonly originalLength: number;
  /** opt_comment options, one per line (UTF-8). */
  readonly comments?: readonly string[];
}

/** An Enhanced Packet Block, its comments as opt_comment options. */
export function enhancedPacket(packet: PacketToWrite): Buffer {
  const fixed = Buffer.alloc(20);
  const nanos = BigInt(packet.time.sec) * 1_000_000_000n + BigInt(packet.time.nsec);
  fixed.writeUInt32LE(packet.interfaceId, 0);
  fixed.writeUInt32LE(Number(nanos >> 32n), 4);
  fixed.writeUInt32LE(Number(nanos & 0xffffffffn), 8);
  fixed.writeUInt32LE(packet.data.length, 12);
  fixed.writeUInt32LE(packet.originalLength, 16);
  const padding = Buffer.alloc((4 - (packet.data.length % 4)) % 4);
  const comments = (packet.comments ?? []).map((text) => option(OPT_COMMENT, Buffer.from(text, 'utf8')));
  return block(ENHANCED_PACKET, Buffer.concat([fixed, packet.data, padding, options(comments)]));
}

/** A Decryption Secrets Block: Wireshark decrypts the frames after it with these secrets. */
export function decryptionSecrets(secretsType: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32LE(secretsType, 0);
  fixed.writeUInt32LE(data.length, 4);
  const padding = Buffer.alloc((4 - (data.length % 4)) % 4);
  return block(DECRYPTION_SECRETS, Buffer.concat([fixed, data, padding]));
}

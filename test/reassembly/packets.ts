// Test helpers: build IPv4/IPv6 TCP packets, link-layer frames and classic pcap files byte by byte.
import { writeFileSync } from 'node:fs';
import type { CaptureFrame } from '../../src/model/index.js';

export interface TcpPacketSpec {
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly seq?: number;
  readonly ack?: number;
  readonly flags?: number;
  readonly payload?: Buffer | string;
  /** TCP option bytes (padded to a multiple of 4 by the caller). */
  readonly options?: Buffer;
}

export function tcpHeader(spec: TcpPacketSpec): Buffer {
  const options = spec.options ?? Buffer.alloc(0);
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const header = Buffer.alloc(20 + options.length);
  header.writeUInt16BE(spec.sport ?? 40000, 0);
  header.writeUInt16BE(spec.dport ?? 80, 2);
  header.writeUInt32BE((spec.seq ?? 1000) >>> 0, 4);
  header.writeUInt32BE((spec.ack ?? 0) >>> 0, 8);
  header[12] = ((20 + options.length) / 4) << 4;
  header[13] = spec.flags ?? 0x18;
  header.writeUInt16BE(65535, 14);
  options.copy(header, 20);
  return Buffer.concat([header, payload]);
}

function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

function ipv6Bytes(text: string): Buffer {
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  return out;
}

export interface Ipv4Spec {
  readonly src?: string;
  readonly dst?: string;
  readonly protocol?: number;
  readonly id?: number;
  readonly fragmentOffset?: number;
  readonly moreFragments?: boolean;
  /** Extra header bytes (IP options), a multiple of 4. */
  readonly options?: Buffer;
}

export function ipv4Packet(spec: Ipv4Spec, payload: Buffer): Buffer {
  const options = spec.options ?? Buffer.alloc(0);
  const header = Buffer.alloc(20 + options.length);
  header[0] = 0x40 | ((20 + options.length) / 4);
  header.writeUInt16BE(header.length + payload.length, 2);
  header.writeUInt16BE(spec.id ?? 1, 4);
  header.writeUInt16BE(((spec.moreFragments ? 1 : 0) << 13) | ((spec.fragmentOffset ?? 0) / 8), 6);
  header[8] = 64;
  header[9] = spec.protocol ?? 6;
  ipv4Bytes(spec.src ?? '10.0.0.1').copy(header, 12);
  ipv4Bytes(spec.dst ?? '10.0.0.2').copy(header, 16);
  options.copy(header, 20);
  return Buffer.concat([header, payload]);
}

/** IPv6 packet; `extensions` is the raw chain between the fixed header and the payload. */
export function ipv6Packet(spec: { src?: string; dst?: string; next?: number }, body: Buffer): Buffer {
  const header = Buffer.alloc(40);
  header[0] = 0x60;
  header.writeUInt16BE(body.length, 4);
  header[6] = spec.next ?? 6;
  header[7] = 64;
  ipv6Bytes(spec.src ?? 'fd00::1').copy(header, 8);
  ipv6Bytes(spec.dst ?? 'fd00::2').copy(header, 24);
  return Buffer.concat([header, body]);
}

/** A TCP packet over IPv4 (or IPv6 when the addresses contain ':'). */
export function ipTcpPacket(spec: TcpPacketSpec): Buffer {
  const tcp = tcpHeader(spec);
  if ((spec.src ?? '').includes(':')) return ipv6Packet({ src: spec.src, dst: spec.dst }, tcp);
  return ipv4Packet({ src: spec.src ?? '10.0.0.1', dst: spec.dst ?? '10.0.0.2' }, tcp);
}

export function ethernetFrame(ip: Buffer, vlanTags: number[] = []): Buffer {
  const etherType = ip[0]! >> 4 === 6 ? 0x86dd : 0x0800;
  const header = Buffer.from('020000000001020000000002', 'hex');
  const tags = vlanTags.map((tpid, i) => {
    const tag = Buffer.alloc(4);
    tag.writeUInt16BE(tpid, 0);
    tag.writeUInt16BE(100 + i, 2);
    return tag;
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(etherType, 0);
  return Buffer.concat([header, ...tags, type, ip]);
}

export function captureFrame(frameNumber: number, data: Buffer, linkType = 1, sec = 1_700_000_000): CaptureFrame {
  return { frameNumber, time: { sec, nsec: frameNumber * 1000 }, linkType, data, originalLength: data.length, interfaceId: 0 };
}

export interface PcapRecord {
  readonly data: Buffer;
  readonly sec: number;
  readonly usec: number;
}

/** Writes a little-endian microsecond classic pcap. */
export function writePcap(path: string, records: readonly PcapRecord[], linkType = 1): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [header];
  for (const record of records) {
    const recordHeader = Buffer.alloc(16);
    recordHeader.writeUInt32LE(record.sec, 0);
    recordHeader.writeUInt32LE(record.usec, 4);
    recordHeader.writeUInt32LE(record.data.length, 8);
    recordHeader.writeUInt32LE(record.data.length, 12);
    parts.push(recordHeader, record.data);
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** Reads the records of a little-endian microsecond classic pcap (the kind tcpdump -w writes here). */
export function readPcapRecords(bytes: Buffer): { linkType: number; records: PcapRecord[] } {
  if (bytes.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('expected a little-endian microsecond pcap');
  const records: PcapRecord[] = [];
  for (let at = 24; at + 16 <= bytes.length; ) {
    const length = bytes.readUInt32LE(at + 8);
    records.push({ sec: bytes.readUInt32LE(at), usec: bytes.readUInt32LE(at + 4), data: bytes.subarray(at + 16, at + 16 + length) });
    at += 16 + length;
  }
  return { linkType: bytes.readUInt32LE(20), records };
}

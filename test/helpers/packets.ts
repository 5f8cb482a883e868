// Test packets, byte by byte: Ethernet (with VLAN tags), IPv4, IPv6 and TCP, and CaptureFrames for the decoder.
// The one place tests build packets; test/helpers/pcap-writer.ts puts them in pcap and pcapng files.
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

/** A TCP header (window 65535, checksum 0) followed by the payload. */
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

/** The IPv4 header checksum (RFC 791): one's complement of the one's-complement sum of its 16-bit words. */
export function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Spec {
  readonly src?: string;
  readonly dst?: string;
  readonly protocol?: number;
  /** Identification; 1 by default. */
  readonly id?: number;
  readonly fragmentOffset?: number;
  readonly moreFragments?: boolean;
  /** Extra header bytes (IP options), a multiple of 4. */
  readonly options?: Buffer;
  /** Fill in the header checksum (left 0 by default). */
  readonly checksum?: boolean;
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
  if (spec.checksum) header.writeUInt16BE(ipv4Checksum(header), 10);
  return Buffer.concat([header, payload]);
}

/** IPv6 packet; `body` is everything after the fixed header (extension headers included), `next` its type. */
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

/** MAC addresses of an Ethernet header, as 12 hex digits each. */
export interface MacAddresses {
  readonly dst: string;
  readonly src: string;
}

/**
 * An Ethernet frame around an IPv4 or IPv6 packet (EtherType from the IP version), with a VLAN
 * tag per TPID in `vlanTags` (VLAN ids 100, 101, …).
 */
export function ethernetFrame(ip: Buffer, vlanTags: readonly number[] = [], macs: MacAddresses = { dst: '020000000001', src: '020000000002' }): Buffer {
  const etherType = ip[0]! >> 4 === 6 ? 0x86dd : 0x0800;
  const header = Buffer.from(macs.dst + macs.src, 'hex');
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

/** A packet whose bytes say which one it is: an Ethernet header (EtherType 0x88b5) and `size - 14` marker bytes. */
export function packet(index: number, size = 60): Buffer {
  const data = Buffer.alloc(size, index & 0xff);
  data.writeUInt16BE(0x88b5, 12); // IEEE local experimental EtherType
  return data;
}

/** A frame as a capture reader hands it to the packet decoder. */
export function captureFrame(frameNumber: number, data: Buffer, linkType = 1, sec = 1_700_000_000): CaptureFrame {
  return { frameNumber, time: { sec, nsec: frameNumber * 1000 }, linkType, data, originalLength: data.length, interfaceId: 0 };
}

// PacketDecoder: every link type down to TCP, IPv4/IPv6 headers, fragments, tunnels and damaged input.
import { describe, expect, it } from 'vitest';
import type { Anomaly, CaptureFrame, TcpSegment } from '../../src/model/index.js';
import { ipv6Text } from '../../src/reassembly/ip-address.js';
import { PacketDecoder } from '../../src/reassembly/packet-decoder.js';
import { captureFrame, ethernetFrame, ipTcpPacket, ipv4Packet, ipv6Packet, tcpHeader } from '../helpers/packets.js';

function decodeAll(frames: { data: Buffer; linkType: number }[]): { segments: TcpSegment[]; anomalies: Anomaly[] } {
  const segments: TcpSegment[] = [];
  const anomalies: Anomaly[] = [];
  const decoder = new PacketDecoder((s) => segments.push(s), (a) => anomalies.push(a), 'test.pcap');
  frames.forEach((f, i) => decoder.decode(captureFrame(i + 1, f.data, f.linkType)));
  decoder.finish();
  return { segments, anomalies };
}

const v4 = ipTcpPacket({ src: '192.0.2.1', dst: '198.51.100.7', sport: 51000, dport: 443, seq: 7, ack: 9, flags: 0x18, payload: 'hello' });
const v6 = ipTcpPacket({ src: '2001:db8::1', dst: '2001:db8:0:0:1::2', sport: 51000, dport: 443, payload: 'hello' });

function u32(value: number, littleEndian: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (littleEndian) b.writeUInt32LE(value);
  else b.writeUInt32BE(value);
  return b;
}

function sll(ip: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt16BE(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800, 14);
  return Buffer.concat([header, ip]);
}

function sll2(ip: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800, 0);
  return Buffer.concat([header, ip]);
}

describe('PacketDecoder link layers', () => {
  const cases: [string, number, Buffer, Buffer][] = [
    ['Ethernet', 1, ethernetFrame(v4), ethernetFrame(v6)],
    ['Ethernet + 802.1Q', 1, ethernetFrame(v4, [0x8100]), ethernetFrame(v6, [0x8100])],
    ['Ethernet + QinQ 0x88a8', 1, ethernetFrame(v4, [0x88a8, 0x8100]), ethernetFrame(v6, [0x88a8, 0x8100])],
    ['Ethernet + QinQ 0x9100', 1, ethernetFrame(v4, [0x9100, 0x8100]), ethernetFrame(v6, [0x9100])],
    ['Linux SLL', 113, sll(v4), sll(v6)],
    ['Linux SLL2', 276, sll2(v4), sll2(v6)],
    ['NULL little-endian', 0, Buffer.concat([u32(2, true), v4]), Buffer.concat([u32(30, true), v6])],
    ['NULL big-endian', 0, Buffer.concat([u32(2, false), v4]), Buffer.concat([u32(24, false), v6])],
    ['NULL AF 28', 0, Buffer.concat([u32(2, true), v4]), Buffer.concat([u32(28, true), v6])],
    ['LOOP', 108, Buffer.concat([u32(2, false), v4]), Buffer.concat([u32(30, false), v6])],
    ['RAW 101', 101, v4, v6],
    ['RAW 12', 12, v4, v6],
    ['RAW 14', 14, v4, v6],
    ['IPv4 228 / IPv6 229', 228, v4, v6],
    ['PPP', 9, Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), v4]), Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x57]), v6])],
  ];
  it.each(cases)('%s carries IPv4 and IPv6 TCP', (_name, linkType, ipv4Frame, ipv6Frame) => {
    const { segments, anomalies } = decodeAll([
      { data: ipv4Frame, linkType },
      { data: ipv6Frame, linkType: linkType === 228 ? 229 : linkType },
    ]);
    expect(anomalies).toEqual([]);
    expect(segments.map((s) => [s.frameNumber, s.src, s.dst, s.payload.toString()])).toEqual([
      [1, { ip: '192.0.2.1', port: 51000 }, { ip: '198.51.100.7', port: 443 }, 'hello'],
      [2, { ip: '2001:db8::1', port: 51000 }, { ip: '2001:db8::1:0:0:2', port: 443 }, 'hello'],
    ]);
    expect(segments[0]).toMatchObject({ seq: 7, ack: 9, flags: 0x18, time: { sec: 1_700_000_000, nsec: 1000 } });
  });

  it('reports an unsupported link type once per link type, not once per frame', () => {
    const { segments, anomalies } = decodeAll([
      { data: v4, linkType: 147 },
      { data: v4, linkType: 147 },
      { data: v4, linkType: 148 },
    ]);
    expect(segments).toEqual([]);
    expect(anomalies.map((a) => [a.code, a.file, a.frame])).toEqual([
      ['unsupported-linktype', 'test.pcap', 1],
      ['unsupported-linktype', 'test.pcap', 3],
    ]);
  });

  it('skips non-IP and non-TCP traffic quietly', () => {
    const arp = Buffer.concat([Buffer.from('ffffffffffff020000000001', 'hex'), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]);
    const udp = ipv4Packet({ protocol: 17 }, Buffer.alloc(12));
    expect(decodeAll([{ data: arp, linkType: 1 }, { data: ethernetFrame(udp), linkType: 1 }])).toEqual({ segments: [], anomalies: [] });
  });
});

describe('PacketDecoder IPv4', () => {
  it('skips IP options and trims Ethernet padding to the total length', () => {
    const ip = ipv4Packet({ options: Buffer.from([1, 1, 1, 0]) }, tcpHeader({ payload: 'abc', options: Buffer.from([1, 1, 1, 1]) }));
    const { segments } = decodeAll([{ data: Buffer.concat([ethernetFrame(ip), Buffer.alloc(20)]), linkType: 1 }]);
    expect(segments[0]!.payload.toString()).toBe('abc');
  });

  it('reassembles fragments that arrive out of order and overlap, first-seen bytes winning', () => {
    const tcp = tcpHeader({ payload: 'A'.repeat(24) + 'B'.repeat(16) });
    const frag = (offset: number, bytes: Buffer, more: boolean) => ({
      data: ipv4Packet({ id: 77, fragmentOffset: offset, moreFragments: more }, bytes),
      linkType: 101,
    });
    // Bytes 16..23 again, altered: the copy seen first must win.
    const overlapping = Buffer.concat([Buffer.alloc(8, 'Z'), tcp.subarray(24, 40)]);
    const { segments, anomalies } = decodeAll([frag(40, tcp.subarray(40), false), frag(0, tcp.subarray(0, 24), true), frag(16, overlapping, true)]);
    expect(anomalies).toEqual([]);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.frameNumber).toBe(3);
    expect(segments[0]!.payload.toString()).toBe('A'.repeat(24) + 'B'.repeat(16));
  });

  it('reports a datagram whose fragments never all arrive', () => {
    const tcp = tcpHeader({ payload: 'x'.repeat(40) });
    const { segments, anomalies } = decodeAll([{ data: ipv4Packet({ id: 5, moreFragments: true }, tcp.subarray(0, 32)), linkType: 101 }]);
    expect(segments).toEqual([]);
    expect(anomalies).toMatchObject([{ code: 'ip-fragment-incomplete', frame: 1 }]);
  });

  it('turns damaged headers into anomalies and carries on', () => {
    const badIhl = Buffer.from(v4);
    badIhl[0] = 0x43;
    const badTcpOffset = Buffer.from(v4);
    badTcpOffset[20 + 12] = 0x20;
    const { segments, anomalies } = decodeAll([
      { data: v4.subarray(0, 10), linkType: 101 },
      { data: badIhl, linkType: 101 },
      { data: badTcpOffset, linkType: 101 },
      { data: v4, linkType: 101 },
    ]);
    expect(anomalies.map((a) => [a.code, a.frame])).toEqual([
      ['ip-bad-header', 1],
      ['ip-bad-header', 2],
      ['tcp-bad-header', 3],
    ]);
    // The bad TCP header still names its connection (as Wireshark numbers it) but carries nothing.
    expect(segments.map((s) => [s.frameNumber, s.flags, s.payload.length])).toEqual([
      [3, 0, 0],
      [4, 0x18, 5],
    ]);
  });

  it('follows IP-in-IP, GRE and VXLAN tunnels to the inner TCP', () => {
    const inner = ipTcpPacket({ src: '10.9.9.1', dst: '10.9.9.2', payload: 'tunnelled' });
    const gre = Buffer.concat([Buffer.from([0x20, 0, 0x08, 0x00]), Buffer.alloc(4), inner]); // key present
    const udpHeader = (dport: number, length: number) => {
      const h = Buffer.alloc(8);
      h.writeUInt16BE(50000, 0);
      h.writeUInt16BE(dport, 2);
      h.writeUInt16BE(length, 4);
      return h;
    };
    const vxlanBody = Buffer.concat([Buffer.from('0800000000000100', 'hex'), ethernetFrame(inner)]);
    const vxlan = Buffer.concat([udpHeader(4789, 8 + vxlanBody.length), vxlanBody]);
    const { segments } = decodeAll([
      { data: ipv4Packet({ protocol: 4 }, inner), linkType: 101 },
      { data: ipv4Packet({ protocol: 47 }, gre), linkType: 101 },
      { data: ipv4Packet({ protocol: 17 }, vxlan), linkType: 101 },
    ]);
    expect(segments.map((s) => [s.src.ip, s.payload.toString()])).toEqual([
      ['10.9.9.1', 'tunnelled'],
      ['10.9.9.1', 'tunnelled'],
      ['10.9.9.1', 'tunnelled'],
    ]);
  });
});

describe('PacketDecoder IPv6', () => {
  it('walks hop-by-hop, routing, destination options and AH headers', () => {
    const tcp = tcpHeader({ payload: 'v6' });
    const hopByHop = Buffer.from([43, 0, 1, 4, 0, 0, 0, 0]);
    const routing = Buffer.from([60, 0, 0, 0, 0, 0, 0, 0]);
    const destOptions = Buffer.from([51, 0, 1, 4, 0, 0, 0, 0]);
    const ah = Buffer.concat([Buffer.from([6, 1, 0, 0]), Buffer.alloc(8)]); // (1 + 2) * 4 = 12 bytes
    const packet = ipv6Packet({ next: 0 }, Buffer.concat([hopByHop, routing, destOptions, ah, tcp]));
    const { segments, anomalies } = decodeAll([{ data: packet, linkType: 101 }]);
    expect(anomalies).toEqual([]);
    expect(segments[0]!.payload.toString()).toBe('v6');
  });

  it('reassembles IPv6 fragments, and ignores packets with no next header', () => {
    const tcp = tcpHeader({ payload: 'fragmented-v6-payload-that-is-long' });
    const fragmentHeader = (offset: number, more: boolean) => {
      const h = Buffer.alloc(8);
      h[0] = 6;
      h.writeUInt16BE(offset | (more ? 1 : 0), 2);
      h.writeUInt32BE(0xabcdef, 4);
      return h;
    };
    const { segments } = decodeAll([
      { data: ipv6Packet({ next: 44 }, Buffer.concat([fragmentHeader(24, false), tcp.subarray(24)])), linkType: 101 },
      { data: ipv6Packet({ next: 44 }, Buffer.concat([fragmentHeader(0, true), tcp.subarray(0, 24)])), linkType: 101 },
      { data: ipv6Packet({ next: 59 }, Buffer.alloc(0)), linkType: 101 },
    ]);
    expect(segments.map((s) => [s.frameNumber, s.payload.toString()])).toEqual([[2, 'fragmented-v6-payload-that-is-long']]);
  });

  it.each([
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8:0:1:1:1:1:1', '20010db8000000010001000100010001'],
    ['2001:0:0:1::1', '20010000000000010000000000000001'],
    ['2001:db8::1:0:0:1', '20010db8000000000001000000000001'],
    ['fe80::abcd:ef01', 'fe8000000000000000000000abcdef01'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
  ])('prints %s as RFC 5952 says', (text, hex) => {
    expect(ipv6Text(Buffer.from(hex, 'hex'), 0)).toBe(text);
  });
});

describe('PacketDecoder and the snapshot length', () => {
  const request = `GET /ews/exchange.asmx HTTP/1.1\r\nHost: mail.contoso.test\r\nAuthorization: Bearer ${'x'.repeat(200)}\r\n\r\n`;
  const full = ethernetFrame(ipTcpPacket({ src: '192.0.2.1', dst: '198.51.100.7', sport: 51000, dport: 80, seq: 7, ack: 9, flags: 0x18, payload: request }));

  function decodeCut(frame: CaptureFrame): { segments: TcpSegment[]; anomalies: Anomaly[] } {
    const segments: TcpSegment[] = [];
    const anomalies: Anomaly[] = [];
    new PacketDecoder((s) => segments.push(s), (a) => anomalies.push(a), 'test.pcap').decode(frame);
    return { segments, anomalies };
  }

  it('says how long the payload of a cut frame was on the wire, and which snap length cut it', () => {
    const cut = { ...captureFrame(1, full.subarray(0, 96)), originalLength: full.length, snapLength: 96 };
    const { segments, anomalies } = decodeCut(cut);
    expect(anomalies).toEqual([]);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.payload.toString('latin1')).toBe(request.slice(0, 96 - 54));
    expect(segments[0]!.snapCut).toEqual({ originalLength: request.length, snapLength: 96 });
  });

  it('takes the captured length as the snap length when the file states none that explains the cut', () => {
    for (const snapLength of [undefined, 0, 262_144]) {
      const cut = { ...captureFrame(1, full.subarray(0, 100)), originalLength: full.length, ...(snapLength !== undefined && { snapLength }) };
      expect(decodeCut(cut).segments[0]!.snapCut).toEqual({ originalLength: request.length, snapLength: 100 });
    }
  });

  it('leaves frames that were not cut alone, even when the IP length claims more than the frame holds', () => {
    expect(decodeCut({ ...captureFrame(1, full), snapLength: 96 }).segments[0]!.snapCut).toBeUndefined();
    const lying = { ...captureFrame(1, full.subarray(0, 120)), snapLength: 262_144 };
    expect(decodeCut(lying).segments[0]!.snapCut).toBeUndefined();
  });
});

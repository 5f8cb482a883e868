// PacketDecoder: capture frame -> link -> IPv4/IPv6 (fragments, extension headers, tunnels) -> TcpSegment.
import type { AnomalyCode, AnomalySink, CaptureFrame, SnapCut, TcpSegment, Timestamp } from '../model/index.js';
import { anomaly } from '../model/index.js';
import { IpFragmentReassembler } from './ip-fragments.js';
import { ipv4Text, ipv6Text } from './ip-address.js';
import { fromEtherType, locateAfterEthernet, locateNetworkLayer, type LinkResult, type NetworkLayer } from './link-layer.js';

const PROTO_HOP_BY_HOP = 0;
const PROTO_IPIP = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6 = 41;
const PROTO_ROUTING = 43;
const PROTO_FRAGMENT = 44;
const PROTO_GRE = 47;
const PROTO_AH = 51;
const PROTO_NO_NEXT = 59;
const PROTO_DEST_OPTIONS = 60;

const UDP_PORT_VXLAN = 4789;
const UDP_PORT_GENEVE = 6081;
const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
const GRE_PROTOCOL_WCCP = 0x883e;
/** Tunnels inside tunnels are followed this deep, no deeper. */
const MAX_NESTING = 4;
const MAX_IPV6_EXTENSION_HEADERS = 16;

/** Protocols worth reassembling fragments for: TCP, or something that may carry TCP. */
function mayCarryTcp(protocol: number): boolean {
  return (
    protocol === PROTO_TCP ||
    protocol === PROTO_IPIP ||
    protocol === PROTO_IPV6 ||
    protocol === PROTO_GRE ||
    protocol === PROTO_UDP ||
    protocol === PROTO_DEST_OPTIONS ||
    protocol === PROTO_ROUTING
  );
}

/**
 * Decodes frames to TCP segments. Non-TCP traffic is skipped quietly; damaged headers become
 * anomalies; an unsupported link type is reported once per link type.
 */
export class PacketDecoder {
  readonly #onSegment: (segment: TcpSegment) => void;
  readonly #onAnomaly: AnomalySink;
  readonly #file: string | undefined;
  readonly #fragments: IpFragmentReassembler;
  readonly #reportedLinkTypes = new Set<number>();
  readonly #network: NetworkLayer = { family: 4, offset: 0 };
  #frame: CaptureFrame | undefined;

  constructor(onSegment: (segment: TcpSegment) => void, onAnomaly: AnomalySink, file?: string) {
    this.#onSegment = onSegment;
    this.#onAnomaly = onAnomaly;
    this.#file = file;
    this.#fragments = new IpFragmentReassembler(onAnomaly, file);
  }

  decode(frame: CaptureFrame): void {
    this.#frame = frame;
    const result = locateNetworkLayer(frame.linkType, frame.data, this.#network);
    if (result === 'ip') this.#ip(frame.data, this.#network.offset, this.#network.family, 0);
    else this.#linkProblem(result, frame.linkType);
    this.#frame = undefined;
  }

  /** Reports IP datagrams whose fragments never all arrived. */
  finish(): void {
    this.#fragments.finish();
  }

  #linkProblem(result: Exclude<LinkResult, 'ip'>, linkType: number): void {
    if (result === 'unsupported') {
      if (this.#reportedLinkTypes.has(linkType)) return;
      this.#reportedLinkTypes.add(linkType);
      this.#report('unsupported-linktype', `link type ${linkType} is not supported; its frames are skipped`, 'info');
    } else if (result === 'truncated') {
      this.#report('truncated-link-header', 'frame is shorter than its link-layer header', 'info');
    }
  }

  #ip(data: Buffer, offset: number, family: 4 | 6, depth: number): void {
    if (family === 4) this.#ipv4(data, offset, depth);
    else this.#ipv6(data, offset, depth);
  }

  #ipv4(data: Buffer, offset: number, depth: number): void {
    const available = data.length - offset;
    if (available < 20 || data[offset]! >> 4 !== 4) {
      this.#report('ip-bad-header', available < 20 ? 'IPv4 header is truncated' : 'IPv4 header has a wrong version');
      return;
    }
    const headerLength = (data[offset]! & 0x0f) * 4;
    let totalLength = data.readUInt16BE(offset + 2);
    // Total length 0 is what TCP segmentation offload (and BIG TCP) captures show: take the frame's length.
    if (totalLength === 0) totalLength = available;
    if (headerLength < 20 || headerLength > totalLength || headerLength > available) {
      this.#report('ip-bad-header', `IPv4 header length ${headerLength} does not fit (total length ${totalLength})`);
      return;
    }
    const end = offset + Math.min(totalLength, available);
    const cut = this.#cutBytes(totalLength - available);
    const protocol = data[offset + 9]!;
    const flagsAndOffset = data.readUInt16BE(offset + 6);
    const fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
    const moreFragments = (flagsAndOffset & 0x2000) !== 0;
    let payload = data.subarray(offset + headerLength, end);
    if (moreFragments || fragmentOffset !== 0) {
      if (!mayCarryTcp(protocol)) return;
      const key = `4${data.toString('latin1', offset + 12, offset + 20)}${protocol} ${data.readUInt16BE(offset + 4)}`;
      const whole = this.#fragments.add(key, fragmentOffset, payload, moreFragments, this.#frameNumber(), this.#time().sec);
      if (whole === undefined) return;
      payload = whole;
      return this.#transport(protocol, payload, data, offset + 12, offset + 16, 4, depth, 0);
    }
    this.#transport(protocol, payload, data, offset + 12, offset + 16, 4, depth, cut);
  }

  #ipv6(data: Buffer, offset: number, depth: number): void {
    const available = data.length - offset;
    if (available < 40 || data[offset]! >> 4 !== 6) {
      this.#report('ip-bad-header', available < 40 ? 'IPv6 header is truncated' : 'IPv6 header has a wrong version');
      return;
    }
    const payloadLength = data.readUInt16BE(offset + 4);
    let next = data[offset + 6]!;
    // Payload length 0 with a hop-by-hop header is a jumbogram (BIG TCP): take the frame's length.
    // Without one it is what TSO captures show, and Wireshark takes the payload as empty.
    const jumbogram = payloadLength === 0 && next === PROTO_HOP_BY_HOP;
    const end = jumbogram ? data.length : Math.min(data.length, offset + 40 + payloadLength);
    let cut = jumbogram ? 0 : this.#cutBytes(offset + 40 + payloadLength - data.length);
    let payload = data.subarray(offset + 40, end);
    for (let headers = 0; headers < MAX_IPV6_EXTENSION_HEADERS; headers++) {
      if (next === PROTO_HOP_BY_HOP || next === PROTO_ROUTING || next === PROTO_DEST_OPTIONS || next === PROTO_AH) {
        if (payload.length < 8) return this.#report('ip-bad-header', 'IPv6 extension header is truncated');
        const length = next === PROTO_AH ? (payload[1]! + 2) * 4 : (payload[1]! + 1) * 8;
        if (length > payload.length) return this.#report('ip-bad-header', 'IPv6 extension header runs past the packet');
        next = payload[0]!;
        payload = payload.subarray(length);
      } else if (next === PROTO_FRAGMENT) {
        if (payload.length < 8) return this.#report('ip-bad-header', 'IPv6 fragment header is truncated');
        next = payload[0]!;
        const offsetAndFlags = payload.readUInt16BE(2);
        const fragmentOffset = offsetAndFlags & 0xfff8;
        const moreFragments = (offsetAndFlags & 0x0001) !== 0;
        const fragmentBytes = payload.subarray(8);
        if (!moreFragments && fragmentOffset === 0) {
          payload = fragmentBytes; // an atomic fragment
          continue;
        }
        if (!mayCarryTcp(next)) return;
        const key = `6${data.toString('latin1', offset + 8, offset + 40)}${payload.readUInt32BE(4)}`;
        const whole = this.#fragments.add(key, fragmentOffset, fragmentBytes, moreFragments, this.#frameNumber(), this.#time().sec);
        if (whole === undefined) return;
        payload = whole;
        cut = 0;
      } else if (next === PROTO_NO_NEXT) {
        return;
      } else {
        return this.#transport(next, payload, data, offset + 8, offset + 24, 6, depth, cut);
      }
    }
    this.#report('ip-bad-header', 'too many IPv6 extension headers');
  }

  /**
   * The payload of an IP packet: TCP, or a tunnel to follow. Addresses are read from `header`;
   * `cut` bytes at the payload's end were cut off by the snapshot length (a tunnelled packet's
   * own IP header says it again).
   */
  #transport(protocol: number, payload: Buffer, header: Buffer, srcAt: number, dstAt: number, family: 4 | 6, depth: number, cut: number): void {
    if (protocol === PROTO_TCP) return this.#tcp(payload, header, srcAt, dstAt, family, cut);
    if (depth >= MAX_NESTING) return;
    if (protocol === PROTO_IPIP) return this.#ipv4(payload, 0, depth + 1);
    if (protocol === PROTO_IPV6) return this.#ipv6(payload, 0, depth + 1);
    if (protocol === PROTO_GRE) return this.#gre(payload, depth + 1);
    if (protocol === PROTO_UDP) return this.#udpTunnel(payload, depth + 1);
  }

  #gre(payload: Buffer, depth: number): void {
    if (payload.length < 4) return;
    const flags = payload[0]!;
    if ((payload[1]! & 0x07) !== 0) return; // GRE version 1 (PPTP) carries PPP, not followed here
    // Checksum (or RFC 1701 routing) word, key, sequence number: 4 bytes each when flagged.
    const headerLength = 4 + (flags & 0xc0 ? 4 : 0) + (flags & 0x20 ? 4 : 0) + (flags & 0x10 ? 4 : 0);
    const protocol = payload.readUInt16BE(2);
    if (protocol === GRE_PROTOCOL_WCCP) {
      // WCCP redirection: the IP packet follows directly, or after a 4-byte redirect header.
      const ipAt = payload.length > headerLength && payload[headerLength]! >> 4 === 4 ? headerLength : headerLength + 4;
      if (payload.length > ipAt) this.#ipv4(payload, ipAt, depth);
      return;
    }
    this.#tunnelled(protocol, payload, headerLength, depth);
  }

  #udpTunnel(payload: Buffer, depth: number): void {
    if (payload.length < 8) return;
    const srcPort = payload.readUInt16BE(0);
    const dstPort = payload.readUInt16BE(2);
    const udpLength = payload.readUInt16BE(4);
    if (udpLength < 8) return; // Wireshark stops at a bad UDP length too
    const body = payload.subarray(8, Math.min(payload.length, udpLength));
    if (dstPort === UDP_PORT_VXLAN || srcPort === UDP_PORT_VXLAN) {
      if (body.length >= 8) this.#tunnelled(ETHERTYPE_TRANSPARENT_ETHERNET, body, 8, depth);
    } else if (dstPort === UDP_PORT_GENEVE || srcPort === UDP_PORT_GENEVE) {
      if (body.length >= 8) this.#tunnelled(body.readUInt16BE(2), body, 8 + (body[0]! & 0x3f) * 4, depth);
    }
  }

  /** Continues into what a tunnel header of `headerLength` bytes announced by EtherType carries. */
  #tunnelled(etherType: number, bytes: Buffer, headerLength: number, depth: number): void {
    if (headerLength > bytes.length) return;
    const inner: NetworkLayer = { family: 4, offset: 0 };
    const result =
      etherType === ETHERTYPE_TRANSPARENT_ETHERNET
        ? locateAfterEthernet(bytes, headerLength, inner)
        : fromEtherType(etherType, bytes, headerLength, inner);
    if (result === 'ip') this.#ip(bytes, inner.offset, inner.family, depth);
  }

  #tcp(segment: Buffer, header: Buffer, srcAt: number, dstAt: number, family: 4 | 6, cut: number): void {
    if (segment.length < 20) {
      this.#report('tcp-bad-header', `TCP header is truncated (${segment.length} bytes)`);
      return;
    }
    const dataOffset = (segment[12]! >> 4) * 4;
    const headerOk = dataOffset >= 20 && dataOffset <= segment.length;
    if (!headerOk) this.#report('tcp-bad-header', `TCP data offset ${dataOffset} does not fit the ${segment.length}-byte segment`);
    const srcIp = family === 4 ? ipv4Text(header, srcAt) : ipv6Text(header, srcAt);
    const dstIp = family === 4 ? ipv4Text(header, dstAt) : ipv6Text(header, dstAt);
    // A bad header still names its connection (Wireshark numbers it too) but carries no flags or data.
    const decoded: TcpSegment = {
      frameNumber: this.#frameNumber(),
      time: this.#time(),
      src: { ip: srcIp, port: segment.readUInt16BE(0) },
      dst: { ip: dstIp, port: segment.readUInt16BE(2) },
      seq: segment.readUInt32BE(4),
      ack: segment.readUInt32BE(8),
      flags: headerOk ? segment[13]! : 0,
      payload: headerOk ? segment.subarray(dataOffset) : segment.subarray(segment.length),
    };
    // Cut frames are rare: the usual segment keeps one shape.
    this.#onSegment(cut > 0 && headerOk ? { ...decoded, snapCut: this.#snapCut(segment.length - dataOffset + cut) } : decoded);
  }

  /**
   * Bytes of a packet beyond the captured ones, given how many its IP length claims beyond them:
   * only what the snapshot length cut off the frame counts (a bad IP length is not a cut).
   */
  #cutBytes(claimedBeyond: number): number {
    const frame = this.#frame;
    if (frame === undefined || claimedBeyond <= 0) return 0;
    return Math.min(claimedBeyond, frame.originalLength - frame.data.length);
  }

  /** The cut of a segment whose payload is `originalLength` bytes on the wire. */
  #snapCut(originalLength: number): SnapCut {
    const { snapLength, data, originalLength: frameLength } = this.#frame!;
    // The file's snap length explains the cut when the frame is no longer than it and the packet was longer.
    const stated = snapLength !== undefined && snapLength >= data.length && snapLength < frameLength;
    return { originalLength, snapLength: stated ? snapLength : data.length };
  }

  #frameNumber(): number {
    return this.#frame?.frameNumber ?? 0;
  }

  #time(): Timestamp {
    return this.#frame?.time ?? { sec: 0, nsec: 0 };
  }

  #report(code: AnomalyCode, message: string, severity: 'warning' | 'info' = 'warning'): void {
    this.#onAnomaly(anomaly({ code, severity, message, file: this.#file, frame: this.#frameNumber() }));
  }
}

// Link-layer decoding: finds where the IPv4/IPv6 header starts in a captured frame, per LINKTYPE.

/** Where the network layer starts; filled in by the functions below (reused, no allocation per frame). */
export interface NetworkLayer {
  /** 4 or 6 when the result is 'ip'. */
  family: 4 | 6;
  offset: number;
}

/** 'ip': `out` says where; 'not-ip': a link we know carrying something else; 'unsupported': unknown link type. */
export type LinkResult = 'ip' | 'not-ip' | 'unsupported' | 'truncated';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
/** Bound on stacked VLAN tags / MPLS labels, so a hostile frame cannot loop for long. */
const MAX_STACKED_HEADERS = 16;

/** LINKTYPE_* values that are raw IP besides 101 (DLT_RAW is 12 or 14 on some systems). Also decoded: 9 PPP, 104 Cisco HDLC. */
const LINKTYPE_RAW_ALIASES = new Set([12, 14, 101]);

/** Decodes the link header of a frame of `linkType` down to the IP header. */
export function locateNetworkLayer(linkType: number, data: Buffer, out: NetworkLayer): LinkResult {
  switch (linkType) {
    case 1:
      return locateAfterEthernet(data, 0, out);
    case 0:
      return locateAfterBsdLoopback(data, false, out);
    case 108:
      return locateAfterBsdLoopback(data, true, out);
    case 113:
      if (data.length < 16) return 'truncated';
      return fromEtherType(data.readUInt16BE(14), data, 16, out);
    case 276:
      if (data.length < 20) return 'truncated';
      return fromEtherType(data.readUInt16BE(0), data, 20, out);
    case 9:
      return locateAfterPpp(data, out);
    case 104:
      if (data.length < 4) return 'truncated';
      return fromEtherType(data.readUInt16BE(2), data, 4, out);
    case 7:
      return locateAfterArcnet(data, 2, out);
    case 129:
      return locateAfterArcnet(data, 4, out);
    case 228:
      return rawIp(data, 0, 4, out);
    case 229:
      return rawIp(data, 0, 6, out);
    default:
      if (LINKTYPE_RAW_ALIASES.has(linkType)) return rawIpByVersion(data, 0, out);
      return 'unsupported';
  }
}

/** An Ethernet II header (with any 802.1Q / QinQ tags) at `offset`. 802.3 length frames are not IP here. */
export function locateAfterEthernet(data: Buffer, offset: number, out: NetworkLayer): LinkResult {
  if (data.length < offset + 14) return 'truncated';
  return fromEtherType(data.readUInt16BE(offset + 12), data, offset + 14, out);
}

/** Follows an EtherType (and any VLAN tags, MPLS labels, PPPoE session header) to IP. */
export function fromEtherType(etherType: number, data: Buffer, offset: number, out: NetworkLayer): LinkResult {
  let type = etherType;
  let at = offset;
  for (let hops = 0; hops < MAX_STACKED_HEADERS; hops++) {
    switch (type) {
      case ETHERTYPE_IPV4:
        return rawIp(data, at, 4, out);
      case ETHERTYPE_IPV6:
        return rawIp(data, at, 6, out);
      case ETHERTYPE_VLAN:
      case ETHERTYPE_QINQ:
      case ETHERTYPE_QINQ_OLD:
        if (data.length < at + 4) return 'truncated';
        type = data.readUInt16BE(at + 2);
        at += 4;
        break;
      case ETHERTYPE_MPLS:
      case ETHERTYPE_MPLS_MULTICAST:
        return afterMplsLabels(data, at, out);
      case ETHERTYPE_PPPOE_SESSION: {
        if (data.length < at + 8) return 'truncated';
        const protocol = data.readUInt16BE(at + 6);
        if (protocol === PPP_IPV4) return rawIp(data, at + 8, 4, out);
        if (protocol === PPP_IPV6) return rawIp(data, at + 8, 6, out);
        return 'not-ip';
      }
      default:
        return 'not-ip';
    }
  }
  return 'not-ip';
}

function afterMplsLabels(data: Buffer, offset: number, out: NetworkLayer): LinkResult {
  let at = offset;
  for (let labels = 0; labels < MAX_STACKED_HEADERS; labels++) {
    if (data.length < at + 4) return 'truncated';
    const bottomOfStack = (data[at + 2]! & 0x01) !== 0;
    at += 4;
    if (bottomOfStack) return rawIpByVersion(data, at, out);
  }
  return 'not-ip';
}

/** LINKTYPE_PPP: optional 0xff 0x03 address/control bytes, then a 1- or 2-byte protocol number. */
function locateAfterPpp(data: Buffer, out: NetworkLayer): LinkResult {
  let at = data[0] === 0xff && data[1] === 0x03 ? 2 : 0;
  if (data.length < at + 2) return 'truncated';
  let protocol = data[at]!;
  if ((protocol & 0x01) === 0) protocol = data.readUInt16BE(at++);
  at++;
  if (protocol === PPP_IPV4) return rawIp(data, at, 4, out);
  if (protocol === PPP_IPV6) return rawIp(data, at, 6, out);
  return 'not-ip';
}

/** ARCNET protocol ids (Wireshark packet-arcnet.c): RFC 1201 ones carry a split flag and a sequence. */
const ARCNET_IP_1051 = 0xf0;
const ARCNET_IP_1201 = 0xd4;
const ARCNET_IPV6 = 0xc4;
const ARCNET_RFC1201_IDS = new Set([0xd4, 0xd5, 0xd6, 0xc4, 0xfa, 0xf7]);

/**
 * ARCNET_BSD (7: source, destination) and ARCNET_LINUX (129: source, destination, 2-byte offset),
 * then the protocol id; RFC 1201 framing adds a split flag (an exception packet 0xff repeats the
 * header in 4 more bytes) and a 2-byte sequence number.
 */
function locateAfterArcnet(data: Buffer, headerBytes: number, out: NetworkLayer): LinkResult {
  if (data.length <= headerBytes) return 'truncated';
  const protocol = data[headerBytes]!;
  let offset = headerBytes + 1;
  if (ARCNET_RFC1201_IDS.has(protocol)) {
    if (data.length <= offset) return 'truncated';
    if (data[offset] === 0xff) offset += 4;
    offset += 3;
  }
  if (protocol === ARCNET_IP_1051 || protocol === ARCNET_IP_1201) return rawIp(data, offset, 4, out);
  if (protocol === ARCNET_IPV6) return rawIp(data, offset, 6, out);
  return 'not-ip';
}

/** DLT_NULL (host byte order, either) or DLT_LOOP (network byte order) address family word. */
function locateAfterBsdLoopback(data: Buffer, networkOrder: boolean, out: NetworkLayer): LinkResult {
  if (data.length < 4) return 'truncated';
  let family = networkOrder ? data.readUInt32BE(0) : data.readUInt32LE(0);
  // A NULL header written on a big-endian host reads as a value above 0xffff little-endian.
  if (!networkOrder && family > 0xffff) family = data.readUInt32BE(0);
  if (family === 2) return rawIp(data, 4, 4, out);
  if (family === 24 || family === 28 || family === 30) return rawIp(data, 4, 6, out);
  return 'not-ip';
}

function rawIpByVersion(data: Buffer, offset: number, out: NetworkLayer): LinkResult {
  if (data.length <= offset) return 'truncated';
  const version = data[offset]! >> 4;
  if (version === 4 || version === 6) return rawIp(data, offset, version, out);
  return 'not-ip';
}

function rawIp(data: Buffer, offset: number, family: 4 | 6, out: NetworkLayer): LinkResult {
  if (data.length <= offset) return 'truncated';
  out.family = family;
  out.offset = offset;
  return 'ip';
}

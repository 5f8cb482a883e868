// Builds pcap and pcapng files byte by byte from frames (test/helpers/packets.ts builds the frames),
// and reads back the records of a classic pcap. The one pcap writer of the tests.

export interface PcapRecord {
  readonly sec: number;
  /** µs or ns, as the file's magic says. */
  readonly fraction: number;
  readonly data: Buffer;
  /** Length on the wire; the captured length (`data.length`) when absent. */
  readonly originalLength?: number;
}

export interface PcapOptions {
  /** Byte order; little-endian by default. */
  readonly littleEndian?: boolean;
  /** Nanosecond timestamps (magic a1b23c4d) instead of microseconds (a1b2c3d4). */
  readonly nanoseconds?: boolean;
  readonly linkType?: number;
  /** Snapshot length in the file header; 262144 by default. */
  readonly snapLength?: number;
  readonly versionMinor?: number;
}

function writer(littleEndian: boolean) {
  return {
    u16: (value: number): Buffer => {
      const b = Buffer.alloc(2);
      if (littleEndian) b.writeUInt16LE(value);
      else b.writeUInt16BE(value);
      return b;
    },
    u32: (value: number): Buffer => {
      const b = Buffer.alloc(4);
      if (littleEndian) b.writeUInt32LE(value >>> 0);
      else b.writeUInt32BE(value >>> 0);
      return b;
    },
    i64: (value: bigint): Buffer => {
      const b = Buffer.alloc(8);
      if (littleEndian) b.writeBigInt64LE(value);
      else b.writeBigInt64BE(value);
      return b;
    },
  };
}

/** A classic pcap file: header (version 2.`versionMinor`, thiszone and sigfigs 0), then one record per frame. */
export function pcapFile(records: readonly PcapRecord[], options: PcapOptions = {}): Buffer {
  const { littleEndian = true, nanoseconds = false, linkType = 1, snapLength = 262_144, versionMinor = 4 } = options;
  const w = writer(littleEndian);
  const magic = nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4;
  const header = Buffer.concat([w.u32(magic), w.u16(2), w.u16(versionMinor), w.u32(0), w.u32(0), w.u32(snapLength), w.u32(linkType)]);
  const body = records.map((r) =>
    Buffer.concat([w.u32(r.sec), w.u32(r.fraction), w.u32(r.data.length), w.u32(r.originalLength ?? r.data.length), r.data]),
  );
  return Buffer.concat([header, ...body]);
}

/** The header and records of a little-endian classic pcap (the kind tcpdump -w writes here). */
export function readPcapRecords(bytes: Buffer): { linkType: number; snapLength: number; nanoseconds: boolean; records: PcapRecord[] } {
  const magic = bytes.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error('expected a little-endian classic pcap');
  const records: PcapRecord[] = [];
  for (let at = 24; at + 16 <= bytes.length; ) {
    const length = bytes.readUInt32LE(at + 8);
    records.push({
      sec: bytes.readUInt32LE(at),
      fraction: bytes.readUInt32LE(at + 4),
      data: bytes.subarray(at + 16, at + 16 + length),
      originalLength: bytes.readUInt32LE(at + 12),
    });
    at += 16 + length;
  }
  return { linkType: bytes.readUInt32LE(20), snapLength: bytes.readUInt32LE(16), nanoseconds: magic === 0xa1b23c4d, records };
}

const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

/** pcapng block builders for one byte order: SHB, IDB, EPB, OPB, SPB, DSB (concatenate them into a file). */
export function pcapngBlocks(littleEndian = true) {
  const w = writer(littleEndian);
  const block = (type: number, body: Buffer): Buffer => {
    const padded = pad4(body);
    const length = padded.length + 12;
    return Buffer.concat([w.u32(type), w.u32(length), padded, w.u32(length)]);
  };
  const option = (code: number, value: Buffer): Buffer => Buffer.concat([w.u16(code), w.u16(value.length), pad4(value)]);
  const endOfOptions = Buffer.concat([w.u16(0), w.u16(0)]);
  return {
    block,
    sectionHeader: (): Buffer =>
      block(0x0a0d0d0a, Buffer.concat([w.u32(0x1a2b3c4d), w.u16(1), w.u16(0), w.i64(-1n)])),
    interface: (opts: { linkType?: number; snapLength?: number; tsresol?: number; tsoffset?: bigint } = {}): Buffer => {
      const options: Buffer[] = [];
      if (opts.tsresol !== undefined) options.push(option(9, Buffer.from([opts.tsresol])));
      if (opts.tsoffset !== undefined) options.push(option(14, w.i64(opts.tsoffset)));
      if (options.length > 0) options.push(endOfOptions);
      return block(0x00000001, Buffer.concat([w.u16(opts.linkType ?? 1), w.u16(0), w.u32(opts.snapLength ?? 0), ...options]));
    },
    enhancedPacket: (interfaceId: number, ticks: bigint, data: Buffer, originalLength = data.length): Buffer =>
      block(
        0x00000006,
        Buffer.concat([w.u32(interfaceId), w.u32(Number(ticks >> 32n)), w.u32(Number(ticks & 0xffffffffn)), w.u32(data.length), w.u32(originalLength), pad4(data)]),
      ),
    obsoletePacket: (interfaceId: number, ticks: bigint, data: Buffer): Buffer =>
      block(
        0x00000002,
        Buffer.concat([w.u16(interfaceId), w.u16(0), w.u32(Number(ticks >> 32n)), w.u32(Number(ticks & 0xffffffffn)), w.u32(data.length), w.u32(data.length), pad4(data)]),
      ),
    simplePacket: (data: Buffer, originalLength = data.length): Buffer => block(0x00000003, Buffer.concat([w.u32(originalLength), pad4(data)])),
    decryptionSecrets: (secretsType: number, secrets: Buffer): Buffer =>
      block(0x0000000a, Buffer.concat([w.u32(secretsType), w.u32(secrets.length), pad4(secrets)])),
  };
}
